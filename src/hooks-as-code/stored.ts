import type { Services } from '../services/index.ts';
import type { Viewer } from '../services/auth.ts';
import type { StoredHook } from './spec.ts';

const ALL = { limit: 1000, inverted: false } as const;

/** Every hook of the viewer's tenant with its current script and secret names (never values). */
export function storedHooks(services: Services, viewer: Viewer): StoredHook[] {
  const rows = services.hooks.list(viewer, {}, ALL);
  const secretNames = new Map<string, string[]>();
  for (const secret of rows.length ? services.secrets.secretNamesByHookIds(rows.map((row) => row.id)) : []) {
    secretNames.set(secret.hookId, [...(secretNames.get(secret.hookId) ?? []), secret.name]);
  }
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    triggerId: row.triggerId,
    script: services.hooks.versionOf(row.id, row.version)!.script,
    enabled: row.enabled,
    timeoutMs: row.timeoutMs,
    retries: row.retries,
    conditions: row.conditions as StoredHook['conditions'],
    options: row.options as StoredHook['options'],
    envVarNames: row.envVarNames as string[],
    contextVersion: row.contextVersion,
    dependencies: row.dependencies,
    secretNames: secretNames.get(row.id) ?? [],
  }));
}
