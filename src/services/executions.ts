import { and, count, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { executions, type ExecutionRow } from '../db/schema.ts';
import { idBoundAt } from '../lib/time-ids.ts';
import { authorize, type Viewer } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import type { ExecutionStore } from './execution-store.ts';
import { keysetOrder, keysetWhere, type Page } from './pagination.ts';

export interface ExecutionFilter {
  hookId?: string | null;
  triggerId?: string | null;
  status?: string | null;
  source?: string | null;
  /** Epoch milliseconds, inclusive. */
  since?: number | null;
  until?: number | null;
  /** The payload's top-level `correlation_id` (OneLogin's), for the OneLogin logs endpoint. */
  correlationId?: string | null;
}

/** The WHERE of a filtered list; time bounds become id bounds (ids are time-ordered). */
function filterWhere(tenantId: string, filter: ExecutionFilter): SQL | undefined {
  return and(
    eq(executions.tenantId, tenantId),
    filter.hookId ? eq(executions.hookId, filter.hookId) : undefined,
    filter.triggerId ? eq(executions.triggerId, filter.triggerId) : undefined,
    filter.status ? eq(executions.status, filter.status) : undefined,
    filter.source ? eq(executions.source, filter.source) : undefined,
    typeof filter.since === 'number' ? gte(executions.id, idBoundAt(filter.since, 'lowest')) : undefined,
    typeof filter.until === 'number' ? lte(executions.id, idBoundAt(filter.until, 'highest')) : undefined,
    filter.correlationId ? sql`json_extract(${executions.payload}, '$.correlation_id') = ${filter.correlationId}` : undefined,
  );
}

export type ExecutionService = ReturnType<typeof createExecutionService>;

/** Reads of executions and their console lines, within the viewer's tenant. */
export function createExecutionService({ db }: ServiceDeps, store: ExecutionStore) {
  return {
    get(viewer: Viewer | null, id: string): ExecutionRow | undefined {
      const { tenantId } = authorize(viewer, 'read:executions');
      return db.select().from(executions).where(and(eq(executions.id, id), eq(executions.tenantId, tenantId))).get();
    },

    /** A keyset page of the tenant's executions, newest first. */
    list(viewer: Viewer | null, filter: ExecutionFilter, page: Page): ExecutionRow[] {
      const { tenantId } = authorize(viewer, 'read:executions');
      return db
        .select()
        .from(executions)
        .where(and(filterWhere(tenantId, filter), keysetWhere(executions.id, page)))
        .orderBy(keysetOrder(executions.id, page))
        .limit(page.limit)
        .all();
    },

    count(viewer: Viewer | null, filter: ExecutionFilter): number {
      const { tenantId } = authorize(viewer, 'read:executions');
      return db.select({ n: count() }).from(executions).where(filterWhere(tenantId, filter)).get()!.n;
    },

    /**
     * What a run recorded (payload, response, warnings, error, console lines) is read with
     * read:executions, however the execution is reached: by id, in a list, or in the answer of
     * runHook or dispatchTrigger. A pipeline token (run:hooks) gets the outcome, not the record.
     */
    authorizeRecord(viewer: Viewer | null): void {
      authorize(viewer, 'read:executions');
    },

    getMany(tenantId: string, ids: readonly string[]): ExecutionRow[] {
      return db.select().from(executions).where(and(eq(executions.tenantId, tenantId), inArray(executions.id, [...ids]))).all();
    },

    /** A page of lines of each of many executions the caller has already read (so are the tenant's). */
    logsOfMany(executionIds: readonly string[], page: { afterSeq?: number; limit: number }) {
      return store.logsOfMany(executionIds, page);
    },
  };
}
