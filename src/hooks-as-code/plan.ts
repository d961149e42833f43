import { isDeepStrictEqual } from 'node:util';
import { getTrigger } from '../triggers/index.ts';
import { HooksFolderError, type HookSpec, type StoredHook } from './spec.ts';

export type PlanAction = 'create' | 'update' | 'unchanged' | 'delete' | 'would delete';

export interface PlanStep {
  action: PlanAction;
  name: string;
  triggerId: string;
  /** The file the hook comes from (none for a deletion). */
  file?: string;
  /** Settings that change (`script`, `enabled`, `secrets.NAME`…): names only, never values. */
  changes: string[];
  /** Secrets the folder names without a value that the target lacks: set them after the import. */
  missingSecrets: string[];
  spec?: HookSpec;
  stored?: StoredHook;
}

const SETTINGS = ['enabled', 'timeoutMs', 'retries', 'conditions', 'options', 'envVarNames', 'contextVersion', 'dependencies'] as const;

/**
 * What an import would do to the target's hooks: hooks are matched by name (`match` is the
 * format's rule). Checks what needs no database first: a file naming an unknown trigger, two files
 * for one hook, or a hook moved to another trigger is an error naming the file.
 */
export function planImport(
  specs: HookSpec[],
  stored: StoredHook[],
  options: { allowDelete: boolean; secretValues: (hook: StoredHook) => Record<string, string>; match?: (name: string) => string },
): PlanStep[] {
  const match = options.match ?? ((name: string) => name);
  const byName = new Map(stored.map((hook) => [match(hook.name), hook]));
  const seen = new Map<string, string>();
  const steps: PlanStep[] = [];
  for (const spec of specs) {
    if (!getTrigger(spec.triggerId)) throw new HooksFolderError(spec.file, `unknown trigger "${spec.triggerId}"`);
    const key = match(spec.name);
    if (seen.has(key)) throw new HooksFolderError(spec.file, `hook "${spec.name}" is also defined in ${seen.get(key)}`);
    seen.set(key, spec.file);
    const current = byName.get(key);
    const base = { name: spec.name, triggerId: spec.triggerId, file: spec.file, spec };
    if (!current) {
      const missingSecrets = Object.entries(spec.secrets).filter(([, value]) => value === null).map(([name]) => name);
      steps.push({ ...base, action: 'create', changes: [], missingSecrets });
      continue;
    }
    if (current.triggerId !== spec.triggerId) {
      throw new HooksFolderError(spec.file, `hook "${spec.name}" is a ${current.triggerId} hook in the target; a hook's trigger cannot change`);
    }
    const changes: string[] = [];
    if (current.name !== spec.name) changes.push('name');
    if (current.script !== spec.script) changes.push('script');
    for (const setting of SETTINGS) {
      const wanted = spec[setting];
      if (wanted !== undefined && !isDeepStrictEqual(wanted, setting === 'options' ? { ...current.options, ...spec.options } : current[setting])) changes.push(setting);
    }
    const values = Object.values(spec.secrets).some((value) => value !== null) ? options.secretValues(current) : {};
    const missingSecrets: string[] = [];
    for (const [name, value] of Object.entries(spec.secrets)) {
      if (value === null && !current.secretNames.includes(name)) missingSecrets.push(name);
      if (value !== null && values[name] !== value) changes.push(`secrets.${name}`);
    }
    steps.push({ ...base, action: changes.length ? 'update' : 'unchanged', changes, missingSecrets, stored: current });
  }
  for (const hook of stored) {
    if (seen.has(match(hook.name))) continue;
    steps.push({ action: options.allowDelete ? 'delete' : 'would delete', name: hook.name, triggerId: hook.triggerId, changes: [], missingSecrets: [], stored: hook });
  }
  return steps;
}

/** The plan as lines for a terminal: one per hook, then a summary. */
export function formatPlan(steps: PlanStep[]): string {
  const lines = steps.map((step) => {
    const details = [
      step.changes.length ? `changes: ${step.changes.join(', ')}` : '',
      step.missingSecrets.length ? `secrets to set after import: ${step.missingSecrets.join(', ')}` : '',
      step.action === 'would delete' ? 'not in the folder; --delete deletes it' : '',
    ].filter(Boolean);
    return `  ${step.action.padEnd(12)} ${step.name} (${step.triggerId})${details.length ? ` — ${details.join('; ')}` : ''}`;
  });
  const count = (action: PlanAction) => steps.filter((step) => step.action === action).length;
  const summary = `${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged, ${count('delete')} to delete, ${count('would delete')} not in the folder`;
  return [...lines, summary].join('\n');
}
