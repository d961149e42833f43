/**
 * What the OneLogin Smart Hooks share: `exports.handler = async (context) => …`, where the
 * pipeline's payload is the context, less the optional parts whose option is off.
 */
import type { HandlerInputs, TriggerDefinition } from './types.ts';
import { asRecord, cloneJson } from './json.ts';

/** OneLogin's `timeout` defaults to 1 second (from the Smart Hooks API docs). */
export const ONELOGIN_DEFAULT_TIMEOUT_MS = 1_000;

/**
 * OneLogin documents that the maximum timeout varies by hook type without a figure we could find;
 * its own user-migration examples use 10 seconds. hookgate's choice: 10 seconds for both types.
 */
export const ONELOGIN_TIMEOUT_CEILING_MS = 10_000;

type OneLoginBase = Pick<TriggerDefinition, 'vendor' | 'maxEnabledHooks' | 'defaultTimeoutMs' | 'timeoutCeilingMs' | 'contextVersions'>;

/** The one context hookgate builds for each OneLogin hook type: the payload as the docs show it. */
export const ONELOGIN_CONTEXT_VERSIONS = ['1.0.0'] as const;

/** Definition fields every OneLogin trigger has: one hook per type, as OneLogin allows. */
export function oneLoginBase(): OneLoginBase {
  return {
    vendor: 'ONELOGIN',
    maxEnabledHooks: 1,
    defaultTimeoutMs: ONELOGIN_DEFAULT_TIMEOUT_MS,
    timeoutCeilingMs: ONELOGIN_TIMEOUT_CEILING_MS,
    contextVersions: ONELOGIN_CONTEXT_VERSIONS,
  };
}

/**
 * A copy of the payload as the hook's context. `optionalParts` maps an option to the context key
 * it adds; the key is removed unless the option is `true` (a hook's own setting, else the default).
 */
export function oneLoginContext(
  payload: unknown,
  inputs: HandlerInputs,
  optionalParts: Readonly<Record<string, string>>,
  optionDefaults: Readonly<Record<string, boolean>>,
): Record<string, unknown> {
  const context = asRecord(cloneJson(payload));
  const options = asRecord(inputs?.options);
  for (const [option, key] of Object.entries(optionalParts)) {
    const enabled = Object.hasOwn(options, option) ? options[option] : optionDefaults[option];
    if (enabled !== true) delete context[key];
  }
  return context;
}
