/**
 * What the Auth0 Hooks extensibility points share: callback-style handlers whose last argument
 * before `cb` is a context with the hook's secrets at `context.webtask.secrets`.
 */
import { roleIds } from './conditions.ts';
import { asRecord, cloneJson, valueAt } from './json.ts';
import type { TriggerDefinition } from './types.ts';

/**
 * Auth0 ran hooks in webtasks, which ended any run after 20 seconds ("Request to Webtask exceeded
 * allowed execution time"). A hook had no timeout setting of its own, so a hook written for Auth0
 * expects the whole 20 seconds: that is both the default and the ceiling.
 */
export const AUTH0_TIMEOUT_MS = 20_000;

type Auth0Base = Pick<
  TriggerDefinition,
  'vendor' | 'maxEnabledHooks' | 'defaultTimeoutMs' | 'timeoutCeilingMs' | 'optionDefaults' | 'contextVersions'
>;

/** Definition fields every Auth0 trigger has: no options, one enabled hook per point. */
export function auth0Base(): Auth0Base {
  return {
    vendor: 'AUTH0',
    maxEnabledHooks: 1,
    defaultTimeoutMs: AUTH0_TIMEOUT_MS,
    timeoutCeilingMs: AUTH0_TIMEOUT_MS,
    optionDefaults: {},
    contextVersions: [],
  };
}

/**
 * A copy of the payload's context with `webtask.secrets` set. Any `webtask` the caller sent is
 * replaced: secrets come from the hook, never from the pipeline's payload.
 */
export function webtaskContext(context: unknown, secrets: unknown): Record<string, unknown> {
  return { ...asRecord(cloneJson(context)), webtask: { secrets: asRecord(cloneJson(secrets)) } };
}

/** A JSON copy of a handler argument; `null` where the payload lacks it. */
export function argument(value: unknown): unknown {
  return cloneJson(value) ?? null;
}

/**
 * Auth0 has no roles on the users its Hooks receive, so hookgate reads role ids for hook
 * conditions from `app_metadata.roles`, where Auth0's rule examples commonly keep them.
 */
export function appMetadataRoles(user: unknown): string[] {
  return roleIds(valueAt(user, ['app_metadata', 'roles']));
}
