import { and, asc, inArray, lt, notInArray } from 'drizzle-orm';
import { executions } from '../db/schema.ts';
import type { ServiceDeps } from './deps.ts';

export interface RetentionOptions {
  /** Executions recorded longer ago than this are deleted. */
  maxAgeMs: number;
  /** Rows deleted per statement: small enough that requests wait on no long write. */
  batchSize?: number;
}

export type RetentionService = ReturnType<typeof createRetentionService>;

/** Deletes old executions (and, by cascade, their lines) in bounded batches. */
export function createRetentionService({ db, clock }: ServiceDeps) {
  function deleteBatch(cutoff: number, batchSize: number): number {
    const ids = db
      .select({ id: executions.id })
      .from(executions)
      // Runs still queued or running are never swept: a backlog older than the cutoff still runs.
      .where(and(lt(executions.createdAt, cutoff), notInArray(executions.status, ['QUEUED', 'RUNNING'])))
      .orderBy(asc(executions.createdAt))
      .limit(batchSize)
      .all()
      .map((row) => row.id);
    if (ids.length === 0) return 0;
    return db.delete(executions).where(inArray(executions.id, ids)).run().changes;
  }

  return {
    /**
     * One sweep: batch after batch until nothing is older than the cutoff, yielding to the
     * event loop between batches so requests keep being served.
     */
    async sweep({ maxAgeMs, batchSize = 500 }: RetentionOptions): Promise<number> {
      const cutoff = clock.now() - maxAgeMs;
      let total = 0;
      for (let deleted = deleteBatch(cutoff, batchSize); deleted > 0; deleted = deleteBatch(cutoff, batchSize)) {
        total += deleted;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (total > 0) void db.$erase();
      return total;
    },

    /** Sweeps every `intervalMs`; returns a stop function. */
    schedule(options: RetentionOptions & { intervalMs: number }, onError: (error: unknown) => void = console.error): () => void {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        this.sweep(options)
          .catch(onError)
          .finally(() => (running = false));
      }, options.intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
