/**
 * What a hook asks for: its declared `dependencies` (Auth0) or `packages` (OneLogin), inline
 * `require('name@1.2.3')` (webtask's verquire), plain `require('name')` of packages it did not
 * declare (resolved to their latest version, as webtask's preinstalled modules were), and Node's
 * modules. The requires are found by esbuild's parser, so comments and strings do not count.
 */
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { validRange } from 'semver';
import { isAvailableNodeModule, nodeModuleName } from './node-modules.ts';
import { PackageBuildError } from './errors.ts';

export const USES_BUFFER = /\bBuffer\s*[.(]/;

export interface ModuleEntry {
  kind: 'package' | 'node';
  /** `axios`, `lodash/fp` (package path) or a Node module name. */
  target: string;
}

export interface PackagePlan {
  /** Package name → version range to install. */
  packages: Record<string, string>;
  /** Each name the hook may require → what it loads. */
  modules: Record<string, ModuleEntry>;
  /** Stable hash of the plan: one build per distinct plan. */
  key: string;
}

const NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const DIST_TAG = /^[a-z][a-z0-9._-]*$/i;

/**
 * Whether a version is one the registry can answer: a semver version or range, or a dist-tag
 * (`latest`, `next`). Not `file:`, `git+…`, `github:`, URLs or `npm:` aliases: those would reach
 * past the registry (the host's files, other networks) or past the allowlist.
 */
export function isRegistryRange(range: string): boolean {
  return range.length <= 256 && (validRange(range) !== null || DIST_TAG.test(range)) && !/[:/\\]/.test(range);
}

/** `name`, `name@version`, `@scope/name@version/sub/path` → its parts. */
export function parseSpecifier(specifier: string): { name: string; range: string | null; subpath: string } | null {
  const scoped = specifier.startsWith('@');
  const parts = specifier.split('/');
  const headCount = scoped ? 2 : 1;
  if (parts.length < headCount) return null;
  const head = parts.slice(0, headCount).join('/');
  const at = head.indexOf('@', scoped ? 1 : 0);
  const name = at === -1 ? head : head.slice(0, at);
  const range = at === -1 ? null : head.slice(at + 1);
  if (!NAME.test(name) || range === '') return null;
  const subpath = parts.slice(headCount).join('/');
  return { name, range, subpath: subpath === '' ? '' : `/${subpath}` };
}

/** The module names the script passes to `require` as string literals. */
export async function scanRequires(script: string): Promise<string[]> {
  try {
    const result = await build({
      stdin: { contents: script, loader: 'js', sourcefile: 'hook.js' },
      bundle: true,
      write: false,
      metafile: true,
      format: 'cjs',
      platform: 'neutral',
      logLevel: 'silent',
      plugins: [{ name: 'collect', setup: (b) => b.onResolve({ filter: /.*/ }, (args) => ({ path: args.path, external: true })) }],
    });
    const found = new Set<string>();
    for (const input of Object.values(result.metafile.inputs)) for (const imported of input.imports) found.add(imported.path);
    return [...found].sort();
  } catch {
    // The sandbox reports the script's syntax errors; this pass only looks for packages.
    return [];
  }
}

/** The plan of a hook's packages, or null when it needs none. Throws typed errors for bad input. */
export async function planPackages(script: string, dependencies: Record<string, string>): Promise<PackagePlan | null> {
  for (const [name, range] of Object.entries(dependencies)) {
    if (!isRegistryRange(range)) throw new PackageBuildError('INVALID_SPECIFIER', `${name}@${range} is not a version, range or tag of the registry`, name);
  }
  const packages: Record<string, string> = { ...dependencies };
  const modules: Record<string, ModuleEntry> = {};
  for (const name of Object.keys(dependencies)) modules[name] = { kind: 'package', target: name };
  for (const specifier of await scanRequires(script)) {
    // A hook is one file: a relative or absolute require names nothing a build could provide.
    if (specifier.startsWith('.') || specifier.startsWith('/')) continue;
    const nodeName = nodeModuleName(specifier);
    if (nodeName !== null) {
      if (isAvailableNodeModule(nodeName)) modules[specifier] = { kind: 'node', target: nodeName };
      // A bundle answers `require('fs')` with an error that names the module as unavailable.
      else modules.buffer ??= { kind: 'node', target: 'buffer' };
      continue;
    }
    const parsed = parseSpecifier(specifier);
    if (parsed === null) throw new PackageBuildError('INVALID_SPECIFIER', `require('${specifier}') does not name an npm package`, specifier);
    if (parsed.range !== null && !isRegistryRange(parsed.range)) {
      throw new PackageBuildError('INVALID_SPECIFIER', `require('${specifier}'): ${parsed.range} is not a version, range or tag of the registry`, parsed.name);
    }
    const declared = packages[parsed.name];
    if (parsed.range !== null && declared !== undefined && declared !== parsed.range && declared !== 'latest') {
      throw new PackageBuildError(
        'VERSION_CONFLICT',
        `require('${specifier}') asks for ${parsed.name}@${parsed.range}, but the hook's dependencies say ${declared}`,
        parsed.name,
      );
    }
    packages[parsed.name] = parsed.range ?? declared ?? 'latest';
    modules[specifier] = { kind: 'package', target: parsed.name + parsed.subpath };
  }
  // Node's global Buffer, which hook scripts use without requiring it (the bundle installs it).
  if (USES_BUFFER.test(script)) modules.buffer ??= { kind: 'node', target: 'buffer' };
  if (Object.keys(modules).length === 0) return null;
  const sorted = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  const key = createHash('sha256').update(JSON.stringify({ packages: sorted(packages), modules: sorted(modules) })).digest('hex');
  return { packages, modules, key };
}
