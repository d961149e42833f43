/**
 * The registry packages come from: HOOKGATE_NPM_REGISTRY, else the one npm itself is configured
 * with (npm_config_registry, then `registry=` in the project's and the user's .npmrc), else npm's
 * default.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

function fromNpmrc(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*registry\s*=\s*(\S+)\s*$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

export function npmRegistry(env: NodeJS.ProcessEnv = process.env): string {
  const configured =
    env.HOOKGATE_NPM_REGISTRY?.trim() ||
    env.npm_config_registry?.trim() ||
    fromNpmrc(join(process.cwd(), '.npmrc')) ||
    fromNpmrc(env.NPM_CONFIG_USERCONFIG?.trim() || join(homedir(), '.npmrc')) ||
    DEFAULT_REGISTRY;
  return configured.endsWith('/') ? configured : `${configured}/`;
}
