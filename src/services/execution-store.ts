import { and, asc, eq, gt, inArray, max, sql } from 'drizzle-orm';
import { executionLogs, executions, type ExecutionLogRow, type ExecutionRow } from '../db/schema.ts';
import type { LogLine } from '../sandbox/types.ts';
import type { ServiceDeps } from './deps.ts';
import type { Events } from './events.ts';

export type ExecutionStore = ReturnType<typeof createExecutionStore>;

/** Writes of executions and their lines, each followed by its live event. */
export function createExecutionStore({ db, clock }: ServiceDeps, events: Events) {
  const nextSeq = new Map<string, number>();

  return {
    insert(row: ExecutionRow): ExecutionRow {
      db.insert(executions).values(row).run();
      events.publish('execution:updated', row);
      return row;
    },

    update(id: string, changes: Partial<ExecutionRow>): ExecutionRow {
      const row = db.update(executions).set(changes).where(eq(executions.id, id)).returning().get()!;
      events.publish('execution:updated', row);
      const ended = !['QUEUED', 'RUNNING'].includes(row.status);
      if (ended) {
        nextSeq.delete(id);
        events.publish('execution:stream', id, { ended: row });
      }
      return row;
    },

    /** Stores one console line as it is written and sends it to followers. */
    appendLog(executionId: string, line: LogLine): ExecutionLogRow {
      const seq = nextSeq.get(executionId) ?? this.lastSeq(executionId) + 1;
      nextSeq.set(executionId, seq + 1);
      const row: ExecutionLogRow = { executionId, seq, level: line.level, message: line.message, time: line.time };
      db.insert(executionLogs).values(row).run();
      events.publish('execution:stream', executionId, { line: row });
      return row;
    },

    lastSeq(executionId: string): number {
      const row = db.select({ seq: max(executionLogs.seq) }).from(executionLogs).where(eq(executionLogs.executionId, executionId)).get();
      return row?.seq ?? 0;
    },

    logs(executionId: string, page: { afterSeq?: number; limit: number }): ExecutionLogRow[] {
      return db
        .select()
        .from(executionLogs)
        .where(and(eq(executionLogs.executionId, executionId), page.afterSeq ? gt(executionLogs.seq, page.afterSeq) : undefined))
        .orderBy(asc(executionLogs.seq))
        .limit(page.limit)
        .all();
    },

    /**
     * The same page of lines for many executions in one statement (for loaders): up to `limit`
     * lines after `afterSeq` of each.
     */
    logsOfMany(executionIds: readonly string[], page: { afterSeq?: number; limit: number }): ExecutionLogRow[] {
      const ranked = db
        .select({
          executionId: executionLogs.executionId,
          seq: executionLogs.seq,
          level: executionLogs.level,
          message: executionLogs.message,
          time: executionLogs.time,
          rank: sql<number>`row_number() over (partition by ${executionLogs.executionId} order by ${executionLogs.seq})`.as('rank'),
        })
        .from(executionLogs)
        .where(and(inArray(executionLogs.executionId, [...executionIds]), gt(executionLogs.seq, page.afterSeq ?? 0)))
        .as('ranked');
      return db
        .select({ executionId: ranked.executionId, seq: ranked.seq, level: ranked.level, message: ranked.message, time: ranked.time })
        .from(ranked)
        .where(sql`${ranked.rank} <= ${page.limit}`)
        .orderBy(ranked.executionId, ranked.seq)
        .all();
    },

    /** Runs left RUNNING by a stopped process: marked failed as interrupted, at start-up. */
    markInterrupted(): number {
      const interrupted = db
        .update(executions)
        .set({
          status: 'FAILED',
          error: { name: 'Interrupted', message: 'The service stopped while this run was in progress' },
          finishedAt: clock.now(),
          pendingInput: null,
        })
        .where(eq(executions.status, 'RUNNING'))
        .returning({ id: executions.id })
        .all();
      return interrupted.length;
    },
  };
}
