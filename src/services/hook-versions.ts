import { and, desc, eq, inArray } from 'drizzle-orm';
import { hooks, hookVersions, type HookVersionRow } from '../db/schema.ts';
import type { ServiceDeps } from './deps.ts';

export type HookVersionService = ReturnType<typeof createHookVersionService>;

/** Batched reads of hook versions, for loaders. */
export function createHookVersionService({ db }: ServiceDeps) {
  return {
    /** Every version of each hook, newest first; hook ids come from tenant-scoped rows. */
    byHookIds(hookIds: readonly string[]): HookVersionRow[] {
      return db
        .select()
        .from(hookVersions)
        .where(inArray(hookVersions.hookId, [...hookIds]))
        .orderBy(desc(hookVersions.version))
        .all();
    },

    /** The script of each hook's current version, by hook id, in one query; hook ids come from tenant-scoped rows. */
    currentScripts(hookIds: readonly string[]): Map<string, string> {
      const rows = db
        .select({ hookId: hookVersions.hookId, script: hookVersions.script })
        .from(hookVersions)
        .innerJoin(hooks, and(eq(hooks.id, hookVersions.hookId), eq(hooks.version, hookVersions.version)))
        .where(inArray(hookVersions.hookId, [...hookIds]))
        .all();
      return new Map(rows.map((row) => [row.hookId, row.script]));
    },

    /** Versions by id, of the tenant's hooks only (for node lookups by global id). */
    byIds(tenantId: string, ids: readonly string[]): HookVersionRow[] {
      return db
        .select({ version: hookVersions })
        .from(hookVersions)
        .innerJoin(hooks, eq(hooks.id, hookVersions.hookId))
        .where(and(eq(hooks.tenantId, tenantId), inArray(hookVersions.id, [...ids])))
        .all()
        .map((row) => row.version);
    },
  };
}
