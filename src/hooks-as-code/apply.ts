import type { Db } from '../db/client.ts';
import type { Viewer } from '../services/auth.ts';
import { DomainError } from '../services/errors.ts';
import type { Services } from '../services/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { PlanStep } from './plan.ts';
import { HooksFolderError, type HookSpec } from './spec.ts';

/** Every script compiles, before anything is written: an error names the script's file. */
export async function checkScripts(steps: PlanStep[], sandbox: Sandbox) {
  for (const step of steps) {
    if (!step.spec || !(step.action === 'create' || step.changes.includes('script'))) continue;
    const problem = await sandbox.checkSyntax(step.spec.script);
    if (problem) throw new HooksFolderError(step.spec.scriptFile, `does not compile: ${problem.message} (line ${problem.line}, column ${problem.column})`);
  }
}

/** Ends a dry run's transaction: everything it wrote is rolled back. */
class DryRunRollback extends Error {}

/**
 * Applies a plan in one transaction (its scripts were checked by checkScripts first): any failure (a name the service refuses, a limit) rolls
 * everything back, and the error names the file. Deletions go first, and hooks are enabled last,
 * so a trigger's enabled-hook limit holds at every step, not only at the end.
 *
 * A dry run applies the plan the same way and rolls it back: it refuses exactly what the import
 * would refuse, and changes nothing.
 */
export function applyPlan(db: Db, services: Services, viewer: Viewer, steps: PlanStep[], options: { dryRun?: boolean } = {}) {
  try {
    writePlan(db, services, viewer, steps, !!options.dryRun);
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
}

function writePlan(db: Db, services: Services, viewer: Viewer, steps: PlanStep[], dryRun: boolean) {
  db.transaction(() => {
    for (const step of steps) if (step.action === 'delete') services.hooks.delete(viewer, step.stored!.id);
    const toEnable: { id: string; file: string }[] = [];
    for (const step of steps) {
      if (step.action !== 'create' && step.action !== 'update') continue;
      const spec = step.spec!;
      inFile(spec.file, () => {
        const settings = settingsOf(spec);
        const enable = spec.enabled === true && !(step.stored?.enabled ?? false);
        const hook =
          step.action === 'create'
            ? services.hooks.createChecked(viewer, { ...settings, enabled: false, triggerId: spec.triggerId, script: spec.script })
            : services.hooks.updateChecked(viewer, { ...settings, enabled: enable ? undefined : spec.enabled, id: step.stored!.id, name: spec.name, script: spec.script });
        if (enable) toEnable.push({ id: hook.id, file: spec.file });
        const secrets = Object.entries(spec.secrets).flatMap(([name, value]) => (value === null ? [] : [{ name, value }]));
        if (secrets.length) services.secrets.setHookSecrets(viewer, { hookId: hook.id, secrets });
      });
    }
    for (const { id, file } of toEnable) inFile(file, () => services.hooks.updateChecked(viewer, { id, enabled: true }));
    if (dryRun) throw new DryRunRollback();
  });
}

function settingsOf(spec: HookSpec) {
  return {
    name: spec.name,
    timeoutMs: spec.timeoutMs,
    retries: spec.retries,
    conditions: spec.conditions,
    options: spec.options,
    envVarNames: spec.envVarNames,
    contextVersion: spec.contextVersion,
    dependencies: spec.dependencies,
  };
}

/** A refusal of the services (a bad name, a limit…) names the file it came from. */
function inFile<T>(file: string, apply: () => T): T {
  try {
    return apply();
  } catch (error) {
    if (error instanceof DomainError) throw new HooksFolderError(file, error.message);
    throw error;
  }
}
