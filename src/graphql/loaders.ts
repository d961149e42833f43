import DataLoader from 'dataloader';
import type { ExecutionRow, HookRow, HookVersionRow } from '../db/schema.ts';
import { authorize, type Viewer } from '../services/auth.ts';
import type { Services } from '../services/index.ts';

/** Rows in key order, `undefined` for a key with no row: what DataLoader expects. */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | undefined)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key));
}

export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

/**
 * Per-request loaders, each created on first use. Every batch is one query, scoped to the
 * viewer's tenant where the keys come from a client.
 */
export function createLoaders(services: Services, viewer: Viewer | null) {
  const cache = new Map<string, DataLoader<string, unknown>>();
  function lazy<V>(name: string, batch: (keys: readonly string[]) => V[]): DataLoader<string, V> {
    let loader = cache.get(name) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(async (keys) => batch(keys));
      cache.set(name, loader as DataLoader<string, unknown>);
    }
    return loader;
  }

  return {
    get hook() {
      return lazy<HookRow | undefined>('hook', (ids) => {
        const { tenantId } = authorize(viewer, 'read:hooks');
        return byKey(ids, services.hooks.getMany(tenantId, ids), (row) => row.id);
      });
    },
    get hookVersion() {
      return lazy<HookVersionRow | undefined>('hookVersion', (ids) => {
        const { tenantId } = authorize(viewer, 'read:hooks');
        return byKey(ids, services.hookVersions.byIds(tenantId, ids), (row) => row.id);
      });
    },
    get execution() {
      return lazy<ExecutionRow | undefined>('execution', (ids) => {
        const { tenantId } = authorize(viewer, 'read:executions');
        return byKey(ids, services.executions.getMany(tenantId, ids), (row) => row.id);
      });
    },
    /** One page of console lines per execution; a loader per page shape, so a list is one query. */
    logsPage(afterSeq: number | undefined, limit: number) {
      return lazy(`logs:${afterSeq ?? 0}:${limit}`, (executionIds) =>
        groupByKey(executionIds, services.executions.logsOfMany(executionIds, { afterSeq, limit }), (row) => row.executionId),
      );
    },
    /** Every version of a hook, newest first. */
    get versionsByHook() {
      return lazy('versionsByHook', (hookIds) =>
        groupByKey(hookIds, services.hookVersions.byHookIds(hookIds), (row) => row.hookId),
      );
    },
    get secretsByHook() {
      return lazy('secretsByHook', (hookIds) =>
        groupByKey(hookIds, services.secrets.secretNamesByHookIds(hookIds), (row) => row.hookId),
      );
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
