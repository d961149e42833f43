import semver from 'semver';
import { z } from 'zod';
import { getTrigger, TRIGGER_IDS, type TriggerDefinition } from '../triggers/index.ts';
import { isRegistryRange } from '../packages/specs.ts';
import { InvalidBase64Error, TimeoutTooLongError, UnknownTriggerError, ValidationError } from './errors.ts';

export const HOOK_NAME_PATTERN = /^[a-zA-Z0-9]([ \-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
export const VARIABLE_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** OneLogin's own check of the `function` field. */
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const MAX_SCRIPT_BYTES = 100_000;

const name = z
  .string()
  .min(1)
  .max(128)
  .regex(HOOK_NAME_PATTERN, 'must be letters, digits, spaces and dashes, starting and ending with a letter or digit');

export const variableName = z.string().max(128).regex(VARIABLE_NAME_PATTERN, 'must match ^[a-zA-Z_][a-zA-Z0-9_]*$');

const condition = z.object({
  source: z.literal('roles'),
  operator: z.enum(['~', '!~']),
  value: z.string().min(1).max(256),
});

/** An npm package name (scoped or not) as the registry accepts it, and a version range. */
const PACKAGE_NAME_PATTERN = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
export const MAX_DEPENDENCIES = 50;
export const dependencies = z
  .record(z.string().min(1).max(256))
  .refine((deps) => Object.keys(deps).length <= MAX_DEPENDENCIES, `at most ${MAX_DEPENDENCIES} packages`)
  .refine((deps) => Object.keys(deps).every((name) => name.length <= 214 && PACKAGE_NAME_PATTERN.test(name)), 'package names must be npm package names')
  .refine((deps) => Object.values(deps).every(isRegistryRange), 'versions must be semver versions or ranges, or tags such as latest (not file:, git or URL specs)');

const hookFields = {
  name,
  script: z.string().max(MAX_SCRIPT_BYTES).optional(),
  scriptBase64: z.string().max(Math.ceil(MAX_SCRIPT_BYTES / 3) * 4 + 4).optional(),
  enabled: z.boolean().optional(),
  timeoutMs: z.number().int().min(1).optional(),
  retries: z.number().int().min(0).max(4).optional(),
  conditions: z.array(condition).max(20).optional(),
  options: z.record(z.boolean()).optional(),
  envVarNames: z.array(variableName).max(50).optional(),
  contextVersion: z.string().min(1).max(64).optional(),
  /** Stored as given; building them is the packages issue's. */
  dependencies: dependencies.optional(),
};

export const createHookInput = z.object({ ...hookFields, triggerId: z.string().min(1).max(64) });
export const updateHookInput = z.object({
  ...hookFields,
  name: name.optional(),
  id: z.string(),
  /** A vendor API may send the trigger back (OneLogin's PUT `type`): it must be the hook's own. */
  triggerId: z.string().optional(),
});

export type CreateHookInput = z.output<typeof createHookInput>;
export type UpdateHookInput = z.output<typeof updateHookInput>;

/** The script from `script` or `scriptBase64` (OneLogin's `function`), at most one of them. */
export function scriptOf(input: { script?: string; scriptBase64?: string }): string | undefined {
  if (input.scriptBase64 === undefined) return input.script;
  const encoded = input.scriptBase64.replace(/\s+/g, '');
  if (!BASE64_PATTERN.test(encoded)) throw new InvalidBase64Error('input.scriptBase64');
  const script = Buffer.from(encoded, 'base64').toString('utf8');
  if (Buffer.from(script, 'utf8').toString('base64') !== encoded) throw new InvalidBase64Error('input.scriptBase64');
  return script;
}

export function triggerOf(triggerId: string): TriggerDefinition {
  const trigger = getTrigger(triggerId);
  if (!trigger) throw new UnknownTriggerError(triggerId, TRIGGER_IDS);
  return trigger;
}

/** The script an input gives (plain or base64), refused when both or an empty one are given. */
export function givenScript(input: { script?: string; scriptBase64?: string }): string | undefined {
  if (input.script !== undefined && input.scriptBase64 !== undefined) {
    throw new ValidationError('input.scriptBase64', 'Give either script or scriptBase64, not both');
  }
  const script = scriptOf(input);
  if (script === undefined) return undefined;
  refuseEmpty(input.scriptBase64 === undefined ? 'input.script' : 'input.scriptBase64', script);
  return script;
}

/** An empty script compiles, and fails at every run: the author meant something else. */
export function refuseEmpty(field: string, script: string): void {
  if (script.trim() === '') throw new ValidationError(field, `${field}: a hook script must not be empty`);
}

export function checkTimeout(trigger: TriggerDefinition, timeoutMs: number | undefined) {
  if (timeoutMs !== undefined && timeoutMs > trigger.timeoutCeilingMs) {
    throw new TimeoutTooLongError('input.timeoutMs', trigger.timeoutCeilingMs, trigger.id);
  }
}

export function checkOptions(trigger: TriggerDefinition, options: Record<string, boolean> | undefined) {
  const unknown = Object.keys(options ?? {}).find((key) => !Object.hasOwn(trigger.optionDefaults, key));
  if (unknown) {
    const known = Object.keys(trigger.optionDefaults).join(', ') || 'none';
    throw new ValidationError(`input.options.${unknown}`, `Unknown option "${unknown}" for ${trigger.id}; known: ${known}`);
  }
}

/** A context version must name, as a version or range, one the trigger serves. */
export function checkContextVersion(trigger: TriggerDefinition, contextVersion: string | undefined) {
  if (contextVersion === undefined) return;
  const field = 'input.contextVersion';
  if (trigger.contextVersions.length === 0) {
    throw new ValidationError(field, `${field}: ${trigger.id} has no context versions (a OneLogin setting); leave it out`);
  }
  if (semver.validRange(contextVersion) === null) {
    throw new ValidationError(field, `${field}: must be a version or a range, e.g. 1.0.0 or >= 1.0.0`);
  }
  if (semver.maxSatisfying([...trigger.contextVersions], contextVersion) === null) {
    throw new ValidationError(field, `${field}: no context version of ${trigger.id} satisfies "${contextVersion}"; served: ${trigger.contextVersions.join(', ')}`);
  }
}
