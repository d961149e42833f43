import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { HooksFolderError, type HookSpec, type StoredHook } from './spec.ts';

/**
 * hookgate's own folder format, made to diff well in git: `hooks/<name>/hook.json` (settings,
 * keys in a fixed order, secret names without values) beside `hooks/<name>/script.js`.
 */
export const SETTINGS_FILE = 'hook.json';
const SCRIPT_FILE = 'script.js';

const settingsSchema = z
  .object({
    name: z.string(),
    triggerId: z.string(),
    enabled: z.boolean(),
    timeoutMs: z.number().int(),
    retries: z.number().int(),
    conditions: z.array(z.object({ source: z.literal('roles'), operator: z.enum(['~', '!~']), value: z.string() }).strict()),
    options: z.record(z.boolean()),
    envVarNames: z.array(z.string()),
    contextVersion: z.string().nullable(),
    // Optional: folders exported before it was written keep the target's packages.
    dependencies: z.record(z.string()).optional(),
    secrets: z.array(z.string()),
  })
  .strict();

/** Writes every hook, and removes hook folders of this format whose hook is gone. */
export function writeHookgateFolder(dir: string, hooks: StoredHook[]): string[] {
  const hooksDir = join(dir, 'hooks');
  mkdirSync(hooksDir, { recursive: true });
  const written = new Set<string>();
  for (const hook of [...hooks].sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
    const folder = join(hooksDir, hook.name);
    mkdirSync(folder, { recursive: true });
    const settings = {
      name: hook.name,
      triggerId: hook.triggerId,
      enabled: hook.enabled,
      timeoutMs: hook.timeoutMs,
      retries: hook.retries,
      conditions: hook.conditions,
      options: sortedKeys(hook.options),
      envVarNames: hook.envVarNames,
      contextVersion: hook.contextVersion,
      dependencies: sortedKeys(hook.dependencies),
      secrets: [...hook.secretNames].sort(),
    };
    writeFileSync(join(folder, SETTINGS_FILE), JSON.stringify(settings, null, 2) + '\n');
    // Exactly as stored: importing the file back must not count as a change of the script.
    writeFileSync(join(folder, SCRIPT_FILE), hook.script);
    written.add(hook.name);
  }
  const removed: string[] = [];
  for (const entry of readdirSync(hooksDir)) {
    if (!written.has(entry) && existsSync(join(hooksDir, entry, SETTINGS_FILE))) {
      rmSync(join(hooksDir, entry), { recursive: true });
      removed.push(entry);
    }
  }
  return removed;
}

/** Reads a folder written by writeHookgateFolder (or by hand in its format). */
export function readHookgateFolder(dir: string): HookSpec[] {
  const hooksDir = join(dir, 'hooks');
  if (['tenant.yaml', 'tenant.yml'].some((name) => existsSync(join(dir, name)))) {
    throw new HooksFolderError(dir, 'an Auth0 Deploy CLI folder (tenant.yaml), not a hookgate one: import it with --format auth0');
  }
  if (!existsSync(hooksDir) || !statSync(hooksDir).isDirectory()) throw new HooksFolderError(dir, 'not a hookgate folder: it has no hooks/ folder');
  const foreign = readdirSync(hooksDir).find((entry) => entry.endsWith('.json') && statSync(join(hooksDir, entry)).isFile());
  if (foreign) {
    throw new HooksFolderError(join(hooksDir, foreign), 'a hook file of the Auth0 Deploy CLI format, not a hookgate folder (hooks/<name>/hook.json): import it with --format auth0');
  }
  const specs: HookSpec[] = [];
  for (const entry of readdirSync(hooksDir).sort()) {
    const folder = join(hooksDir, entry);
    if (!statSync(folder).isDirectory()) continue;
    const settingsFile = join(folder, SETTINGS_FILE);
    const scriptFile = join(folder, SCRIPT_FILE);
    for (const file of [settingsFile, scriptFile]) if (!existsSync(file)) throw new HooksFolderError(relative(process.cwd(), file), 'missing');
    const settings = parseSettings(settingsFile);
    if (settings.name !== entry) throw new HooksFolderError(settingsFile, `name "${settings.name}" differs from its folder "${entry}"`);
    const script = readFileSync(scriptFile, 'utf8');
    specs.push({
      file: settingsFile,
      scriptFile,
      name: settings.name,
      triggerId: settings.triggerId,
      script,
      enabled: settings.enabled,
      timeoutMs: settings.timeoutMs,
      retries: settings.retries,
      conditions: settings.conditions,
      options: settings.options,
      envVarNames: settings.envVarNames,
      contextVersion: settings.contextVersion ?? undefined,
      dependencies: settings.dependencies,
      secrets: Object.fromEntries(settings.secrets.map((name) => [name, null])),
    });
  }
  return specs;
}

function parseSettings(file: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HooksFolderError(file, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HooksFolderError(file, `${issue.path.join('.') || 'settings'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Keys in a fixed order, so that an export diffs only where something changed. */
function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
