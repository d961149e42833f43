import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SETTINGS_FILE } from './hookgate-folder.ts';
import { replaceKeywords, type Keywords } from './keywords.ts';
import { HooksFolderError, type HookSpec } from './spec.ts';

/** What Auth0 shows instead of a secret's value: such a secret keeps the target's value. */
export const VALUE_NOT_SHOWN = '_VALUE_NOT_SHOWN_';

const hookSchema = z
  .object({
    name: z.string().min(1),
    triggerId: z.string().min(1),
    script: z.string().min(1),
    enabled: z.boolean().optional(),
    secrets: z.record(z.string()).optional(),
    dependencies: z.record(z.string()).optional(),
  })
  // The Deploy CLI's dumps carry the API's other fields (id…): not ours to read.
  .passthrough();

/** The Deploy CLI's name rule: lower case, blanks become dashes. */
export const deployCliName = (name: string) => name.toLowerCase().replace(/\s/g, '-');

/**
 * A folder the Auth0 Deploy CLI exported: its directory format (`hooks/<name>.json` beside
 * `hooks/<name>.js`) or its YAML format (`tenant.yaml` with a `hooks:` list).
 */
export function readAuth0Folder(dir: string, keywords: Keywords): HookSpec[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new HooksFolderError(dir, 'not a folder');
  const yamlFile = ['tenant.yaml', 'tenant.yml'].map((name) => join(dir, name)).find((file) => existsSync(file));
  if (yamlFile) return readYaml(yamlFile, keywords);
  const hooksDir = join(dir, 'hooks');
  if (!existsSync(hooksDir) || !statSync(hooksDir).isDirectory()) {
    throw new HooksFolderError(dir, 'not an Auth0 Deploy CLI folder: it has neither tenant.yaml nor a hooks/ folder');
  }
  const foreign = readdirSync(hooksDir).find((entry) => existsSync(join(hooksDir, entry, SETTINGS_FILE)));
  if (foreign) {
    throw new HooksFolderError(join(hooksDir, foreign, SETTINGS_FILE), 'a hook of the hookgate format (hooks/<name>/hook.json), not an Auth0 Deploy CLI folder: import it with --format hookgate (the default)');
  }
  return readdirSync(hooksDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(hooksDir, name);
      const hook = parseHook(parseJson(replaceKeywords(readFileSync(file, 'utf8'), keywords, file), file), file);
      return toSpec(hook, file, loadScript(hook.script, hooksDir, file, keywords));
    });
}

function readYaml(file: string, keywords: Keywords): HookSpec[] {
  let document: unknown;
  try {
    document = parseYaml(replaceKeywords(readFileSync(file, 'utf8'), keywords, file));
  } catch (error) {
    if (error instanceof HooksFolderError) throw error;
    throw new HooksFolderError(file, `not valid YAML: ${(error as Error).message}`);
  }
  const hooks = (document as { hooks?: unknown } | null)?.hooks ?? [];
  if (!Array.isArray(hooks)) throw new HooksFolderError(file, 'hooks: must be a list');
  return hooks.map((raw, index) => {
    const hook = parseHook(raw, `${file} (hooks[${index}])`);
    return toSpec(hook, file, loadScript(hook.script, dirname(file), file, keywords));
  });
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HooksFolderError(file, `not valid JSON: ${(error as Error).message}`);
  }
}

function parseHook(raw: unknown, where: string) {
  const parsed = hookSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HooksFolderError(where, `${issue.path.join('.') || 'hook'}: ${issue.message}`);
  }
  return parsed.data;
}

/** As the Deploy CLI loads a script: relative to its base folder, else as given; keywords replaced. */
function loadScript(path: string, base: string, from: string, keywords: Keywords): { file: string; text: string } {
  const candidates = [join(base, path), path];
  const file = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!file) throw new HooksFolderError(from, `script ${path} not found`);
  return { file, text: replaceKeywords(readFileSync(file, 'utf8'), keywords, file) };
}

function toSpec(hook: z.infer<typeof hookSchema>, file: string, script: { file: string; text: string }): HookSpec {
  return {
    file,
    scriptFile: script.file,
    name: deployCliName(hook.name),
    triggerId: hook.triggerId,
    script: script.text,
    enabled: hook.enabled,
    dependencies: hook.dependencies,
    secrets: Object.fromEntries(Object.entries(hook.secrets ?? {}).map(([name, value]) => [name, value === VALUE_NOT_SHOWN ? null : value])),
  };
}
