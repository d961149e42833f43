import { and, eq, inArray } from 'drizzle-orm';
import { executions, type ExecutionRow } from '../db/schema.ts';
import { authorize, type Viewer } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import type { ExecutionStore } from './execution-store.ts';

export type ExecutionService = ReturnType<typeof createExecutionService>;

/** Reads of executions and their console lines, within the viewer's tenant. */
export function createExecutionService({ db }: ServiceDeps, store: ExecutionStore) {
  return {
    get(viewer: Viewer | null, id: string): ExecutionRow | undefined {
      const { tenantId } = authorize(viewer, 'read:executions');
      return db.select().from(executions).where(and(eq(executions.id, id), eq(executions.tenantId, tenantId))).get();
    },

    getMany(tenantId: string, ids: readonly string[]): ExecutionRow[] {
      return db.select().from(executions).where(and(eq(executions.tenantId, tenantId), inArray(executions.id, [...ids]))).all();
    },

    /** Lines of an execution the caller has already read (so is the tenant's). */
    logs(execution: ExecutionRow, page: { afterSeq?: number; limit: number }) {
      return store.logs(execution.id, page);
    },
  };
}
