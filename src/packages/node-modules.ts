/**
 * Node's built-in modules as hooks see them: the ones the sandbox offers (polyfills from the set
 * node-stdlib-browser draws on, and hookgate's own shims for `process`, `timers`, `crypto`,
 * `http`/`https` over the guarded fetch) and the ones it refuses (`fs`, `net`, `child_process`…).
 */
import { builtinModules, createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const stdlib = require('node-stdlib-browser') as Record<string, string>;
/** hookgate's own modules for the sandbox (CommonJS, run inside the isolate). */
export const SHIMS_DIR = fileURLToPath(new URL('./shims/', import.meta.url));
const shim = (file: string) => SHIMS_DIR + file;

/** Module name → the file that implements it inside the sandbox. */
export const NODE_MODULES: Readonly<Record<string, string>> = {
  assert: stdlib.assert!,
  buffer: stdlib.buffer!,
  console: shim('console.cjs'),
  constants: stdlib.constants!,
  crypto: shim('crypto.cjs'),
  events: stdlib.events!,
  http: shim('http-module.cjs'),
  https: shim('https-module.cjs'),
  os: stdlib.os!,
  path: stdlib.path!,
  process: shim('process.cjs'),
  punycode: stdlib.punycode!,
  querystring: stdlib.querystring!,
  stream: shim('stream.cjs'),
  _stream_duplex: stdlib._stream_duplex!,
  _stream_passthrough: stdlib._stream_passthrough!,
  _stream_readable: stdlib._stream_readable!,
  _stream_transform: stdlib._stream_transform!,
  _stream_writable: stdlib._stream_writable!,
  string_decoder: stdlib.string_decoder!,
  sys: stdlib.util!,
  timers: shim('timers.cjs'),
  tty: stdlib.tty!,
  url: stdlib.url!,
  util: stdlib.util!,
  zlib: shim('zlib.cjs'),
};

const BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_') || name in NODE_MODULES));

/** Node's own name of a module (`node:fs` → `fs`), or null when it is not one of Node's. */
export function nodeModuleName(specifier: string): string | null {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return BUILTINS.has(name) || name in NODE_MODULES ? name : null;
}

/** Whether hooks may use this module of Node's (else `require` throws an error naming it). */
export function isAvailableNodeModule(name: string): boolean {
  return Object.hasOwn(NODE_MODULES, name);
}

/** Node's modules hooks may not use, for the error that names them. */
export const UNAVAILABLE_NODE_MODULES: readonly string[] = [...BUILTINS].filter((name) => !isAvailableNodeModule(name)).sort();

export const SHIM_FILES = {
  entry: shim('entry.cjs'),
  process: shim('process.cjs'),
  timers: shim('timers.cjs'),
  unavailable: shim('unavailable.cjs'),
};

/**
 * The file esbuild loads for a Node module. The polyfill packages are folders whose Node entry
 * often just re-exports Node's own module (os-browserify's is `require('os')`): their `browser`
 * entry is the polyfill.
 */
export function nodeModuleFile(name: string): string {
  const target = NODE_MODULES[name]!;
  if (target.endsWith('.cjs') || target.endsWith('.js')) return require.resolve(target);
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as { browser?: unknown };
  return typeof manifest.browser === 'string' ? require.resolve(join(target, manifest.browser)) : require.resolve(target);
}
