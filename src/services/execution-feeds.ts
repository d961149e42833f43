import { and, eq } from 'drizzle-orm';
import { executions, type ExecutionLogRow, type ExecutionRow } from '../db/schema.ts';
import { authorize, type Viewer } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import type { Events } from './events.ts';
import type { ExecutionStore } from './execution-store.ts';
import { AuthenticationError, NotFoundError } from './errors.ts';
import type { TokenService } from './tokens.ts';

export interface ExecutionUpdateFilter {
  hookId?: string | null;
  triggerId?: string | null;
  status?: string | null;
}

const LOG_BATCH = 500;
const hasEnded = (execution: ExecutionRow) => execution.status !== 'QUEUED' && execution.status !== 'RUNNING';

export type ExecutionFeeds = ReturnType<typeof createExecutionFeeds>;

/** Live views of executions for subscriptions: tenant-scoped, closed when the client leaves. */
export function createExecutionFeeds({ db }: ServiceDeps, events: Events, store: ExecutionStore, tokens: TokenService) {
  /** A subscription outlives its request: a token revoked meanwhile ends it at the next event. */
  function checkStillValid(viewer: Viewer) {
    if (!tokens.isActive(viewer.tokenId)) throw new AuthenticationError('The bearer token has been revoked');
  }

  return {
    /**
     * The lines already written, then the live ones, ending with the execution. Subscribing
     * before reading the stored lines means no line falls between the two; seq numbers drop
     * the ones seen twice.
     */
    async *logs(viewer: Viewer | null, executionId: string): AsyncGenerator<ExecutionLogRow> {
      const { tenantId } = authorize(viewer, 'read:executions');
      const caller = viewer!;
      const live = events.subscribe('execution:stream', executionId);
      try {
        const execution = db
          .select()
          .from(executions)
          .where(and(eq(executions.id, executionId), eq(executions.tenantId, tenantId)))
          .get();
        if (!execution) throw new NotFoundError('Execution', executionId);
        let lastSeq = 0;
        for (let batch = store.logs(executionId, { limit: LOG_BATCH }); batch.length > 0; batch = store.logs(executionId, { afterSeq: lastSeq, limit: LOG_BATCH })) {
          for (const line of batch) yield line;
          lastSeq = batch.at(-1)!.seq;
        }
        if (hasEnded(execution)) return;
        while (true) {
          const next = await live.next();
          if (next.done || 'ended' in next.value) return;
          if (next.value.line.seq > lastSeq) {
            checkStillValid(caller);
            lastSeq = next.value.line.seq;
            yield next.value.line;
          }
        }
      } finally {
        await live.return?.();
      }
    },

    /** Executions of the viewer's tenant as their status changes, narrowed by the filter. */
    async *updates(viewer: Viewer | null, filter: ExecutionUpdateFilter): AsyncGenerator<ExecutionRow> {
      const { tenantId } = authorize(viewer, 'read:executions');
      // Only this tenant's events reach this subscriber: another tenant's traffic never fills its buffer.
      const live = events.subscribe('execution:updated', tenantId);
      try {
        while (true) {
          const next = await live.next();
          if (next.done) return;
          const execution = next.value;
          if (filter.hookId && execution.hookId !== filter.hookId) continue;
          if (filter.triggerId && execution.triggerId !== filter.triggerId) continue;
          if (filter.status && execution.status !== filter.status) continue;
          checkStillValid(viewer!);
          yield execution;
        }
      } finally {
        await live.return?.();
      }
    },
  };
}
