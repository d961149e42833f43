/**
 * The in-isolate runtime (runtime/, entry runtime/main.ts) bundled into the one script an isolate
 * compiles: a function expression that each fresh context evaluates and calls once with the host's
 * log callback and its limits, and that returns the runtime's `entry` function. The bundle's
 * modules live in that function's closure, so nothing of them is left on the global object.
 *
 * Bundled with esbuild, not minified (stack traces and error messages that reach a hook stay
 * readable), once per process on first use: a sandbox process when it makes its first isolate.
 * Loading esbuild and a synchronous build take about 100 ms, a fifth of a sandbox process's start,
 * so the bundle is kept on disk with a digest of its inputs (the files the build read, esbuild's
 * version and the options): a process whose inputs match reads it (a few ms) and never loads
 * esbuild. Where the cache cannot be written, each process builds its own.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** The name V8 reports in stack traces for runtime code. */
export const RUNTIME_FILENAME = 'hookgate:runtime';

const RUNTIME_DIR = fileURLToPath(new URL('./runtime/', import.meta.url));
const CACHE_FILE = fileURLToPath(new URL('../../node_modules/.cache/hookgate/runtime.json', import.meta.url));
const require = createRequire(import.meta.url);

const BUILD_OPTIONS = {
  absWorkingDir: RUNTIME_DIR,
  entryPoints: ['main.ts'],
  tsconfig: 'tsconfig.json',
  bundle: true,
  write: false,
  metafile: true,
  // Module code with its one export clause at the end, which bundleRuntime() replaces by a call:
  // an IIFE with a global name would add esbuild's CommonJS helpers to every context.
  format: 'esm',
  platform: 'neutral',
  // Nothing lowered: private fields and classes stay native, with no helper a hook could tamper with.
  target: 'esnext',
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'silent',
} satisfies BuildOptions;

// The modules' top-level names get a scope of their own, inside the function: none of them can
// meet the function's parameters, which the modules never see.
const PREFIX = "(function hookgateRuntime(postLog, limitsJson) {\n'use strict';\nconst install = (() => {\n";
const SUFFIX = '})();\nreturn install(postLog, limitsJson);\n})';
/** How esbuild ends an ESM bundle whose entry exports `install` (under whatever local name). */
const EXPORT_CLAUSE = /\nexport \{\n {2}(\w+) as install\n\};\n$|\nexport \{\n {2}(install)\n\};\n$/;

interface CachedBundle {
  digest: string;
  /** The files the build read, relative to runtime/. */
  inputs: string[];
  source: string;
}

let built: string | undefined;

/** The runtime's script: `(function hookgateRuntime(postLog, limitsJson) { …; return entry; })`. */
export function runtimeSource(): string {
  built ??= fromCache() ?? buildAndCache();
  return built;
}

/** Bundles the runtime afresh, with the files the build read (runtimeSource() keeps one per process). */
export function bundleRuntime(): { source: string; inputs: string[] } {
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const result = buildSync(BUILD_OPTIONS);
  const code = result.outputFiles[0]!.text;
  const clause = EXPORT_CLAUSE.exec(code);
  if (clause === null) throw new Error('The runtime bundle does not end with the export of install (runtime/main.ts)');
  const install = clause[1] ?? clause[2]!;
  const body = code.slice(0, clause.index) + `\nreturn ${install};\n`;
  return { source: PREFIX + body + SUFFIX, inputs: Object.keys(result.metafile.inputs).sort() };
}

/** A digest of what the bundle is made from, or null when an input cannot be read. */
function digestOf(inputs: string[]): string | null {
  const { version } = require('esbuild/package.json') as { version: string };
  const hash = createHash('sha256').update(version).update(JSON.stringify(BUILD_OPTIONS)).update(bundleRuntime.toString() + PREFIX + SUFFIX + EXPORT_CLAUSE.source);
  try {
    // The tsconfig is not among the metafile's inputs, yet esbuild reads settings that shape the output there.
    for (const input of [...inputs, BUILD_OPTIONS.tsconfig]) hash.update(input).update('\0').update(readFileSync(join(RUNTIME_DIR, input))).update('\0');
  } catch {
    return null;
  }
  return hash.digest('hex');
}

function fromCache(): string | undefined {
  try {
    const cached = JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as CachedBundle;
    return digestOf(cached.inputs) === cached.digest ? cached.source : undefined;
  } catch {
    return undefined;
  }
}

function buildAndCache(): string {
  const { source, inputs } = bundleRuntime();
  const digest = digestOf(inputs);
  if (digest === null) return source;
  try {
    mkdirSync(dirname(CACHE_FILE), { recursive: true });
    // Written aside and renamed: processes starting together each see a whole file or none.
    const temporary = `${CACHE_FILE}.${process.pid}`;
    writeFileSync(temporary, JSON.stringify({ digest, inputs, source } satisfies CachedBundle));
    renameSync(temporary, CACHE_FILE);
  } catch {
    // A read-only install: every process builds its own.
  }
  return source;
}
