import { z } from 'zod';
import type { HookRow } from '../../db/schema.ts';
import type { Services } from '../../services/index.ts';

/** OneLogin's `status`, from the hook's own: `ready`, else `create-…` or `update-…` by whether it changed since it was made. */
export function statusOf(hook: Pick<HookRow, 'status' | 'createdAt' | 'updatedAt'>): string {
  if (hook.status === 'READY') return 'ready';
  const stage = hook.createdAt === hook.updatedAt ? 'create' : 'update';
  const state = { QUEUED: 'queued', BUILDING: 'running', FAILED: 'failed' }[hook.status] ?? hook.status.toLowerCase();
  return `${stage}-${state}`;
}

/**
 * OneLogin's hook object. `runtime` is always `nodejs`: every hook runs on hookgate's one runtime,
 * whatever runtime was asked for. `timeout` is in seconds.
 */
function oneloginHook(hook: HookRow, script: string) {
  return {
    id: hook.id,
    type: hook.triggerId,
    function: Buffer.from(script, 'utf8').toString('base64'),
    disabled: !hook.enabled,
    runtime: 'nodejs',
    retries: hook.retries,
    timeout: hook.timeoutMs / 1000,
    options: hook.options,
    env_vars: hook.envVarNames,
    packages: hook.dependencies,
    conditions: hook.conditions,
    context_version: hook.contextVersion ?? undefined,
    status: statusOf(hook),
    created_at: new Date(hook.createdAt).toISOString(),
    updated_at: new Date(hook.updatedAt).toISOString(),
  };
}

/** OneLogin's hook objects of rows, their scripts read in one query. */
export function oneloginHooks(rows: HookRow[], services: Services) {
  const scripts = services.hookVersions.currentScripts(rows.map((row) => row.id));
  return rows.map((row) => oneloginHook(row, scripts.get(row.id)!));
}

export const oneloginHookOf = (row: HookRow, services: Services) => oneloginHooks([row], services)[0]!;

/** The fields of a create or update body; the services check their values further. */
export const hookFields = {
  function: z.string(),
  disabled: z.boolean(),
  runtime: z.string().regex(/^nodejs/, 'must name a Node.js runtime (nodejs…)'),
  retries: z.number().int(),
  timeout: z.number().int().min(1),
  options: z.record(z.boolean()),
  env_vars: z.array(z.string()),
  packages: z.record(z.string()),
  conditions: z.array(z.object({ source: z.string(), operator: z.string(), value: z.string() })),
  context_version: z.string(),
};

type HookBody = Partial<{ [K in keyof typeof hookFields]: z.output<(typeof hookFields)[K]> }>;

/** A body in the services' words (GraphQL's input fields). */
export function serviceInput(body: HookBody) {
  return {
    scriptBase64: body.function,
    enabled: body.disabled === undefined ? undefined : !body.disabled,
    retries: body.retries,
    timeoutMs: body.timeout === undefined ? undefined : body.timeout * 1000,
    options: body.options,
    envVarNames: body.env_vars,
    dependencies: body.packages,
    conditions: body.conditions,
    contextVersion: body.context_version,
  };
}
