import { existsSync, readFileSync } from 'node:fs';
import { HooksFolderError } from './spec.ts';

export type Keywords = Record<string, unknown>;

const PLACEHOLDER = /@@([A-Za-z0-9_]+)@@|##([A-Za-z0-9_]+)##/g;

/**
 * The Auth0 Deploy CLI's keyword mappings: `--keywords` (a JSON object, or a file holding one)
 * over AUTH0_KEYWORD_REPLACE_MAPPINGS; a key in neither is read from the environment variable
 * of its own name.
 */
export function loadKeywords(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Keywords {
  const fromEnv = env.AUTH0_KEYWORD_REPLACE_MAPPINGS ? parseMappings(env.AUTH0_KEYWORD_REPLACE_MAPPINGS, 'AUTH0_KEYWORD_REPLACE_MAPPINGS') : {};
  if (!option) return fromEnv;
  const text = existsSync(option) ? readFileSync(option, 'utf8') : option;
  return { ...fromEnv, ...parseMappings(text, '--keywords') };
}

function parseMappings(text: string, source: string): Keywords {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HooksFolderError(source, 'must be a JSON object of keyword mappings, or a file holding one');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HooksFolderError(source, 'must be a JSON object of keyword mappings');
  return value as Keywords;
}

/**
 * Replaces placeholders as the Deploy CLI does: `@@KEY@@` by the value as JSON (for a whole JSON
 * or YAML value), `##KEY##` by the value as text. A placeholder with no value is an error naming
 * the file: deploying the placeholder itself would be worse.
 */
export function replaceKeywords(text: string, keywords: Keywords, file: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(PLACEHOLDER, (_match, jsonKey: string | undefined, textKey: string | undefined) => {
    const key = (jsonKey ?? textKey)!;
    const value = Object.hasOwn(keywords, key) ? keywords[key] : env[key];
    if (value === undefined) throw new HooksFolderError(file, `no value for the keyword ${key} (give it in --keywords or the environment)`);
    return jsonKey ? JSON.stringify(value) : String(value);
  });
}
