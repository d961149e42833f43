/**
 * The hook's CommonJS-like module: its factory (the wrapper evaluated by the host, see
 * ../wrapper.ts), loaded on the context's first run, and the `require` it gets, which asks the
 * hook's packages bundle (src/packages/) and refuses everything else.
 */
import { ErrorCtor, ReflectApply, safeString } from './intrinsics.ts';

/** The wrapper function around the hook's script: `(exports, require, module, __filename, __dirname)`. */
export type HookFactory = (...args: unknown[]) => unknown;

/** The table the packages bundle evaluates to (src/packages/shims/entry.cjs). */
export interface BundleModules {
  load(name: unknown): { exports: unknown } | null;
}

export interface HookModule {
  exports: unknown;
  id: string;
  filename: string;
  loaded: boolean;
  children: unknown[];
  paths: string[];
}

let hookFactory: HookFactory | null = null;
/** The hook's module once loaded: the context keeps it between runs, as a webtask container did. */
export let hookModule: HookModule | null = null;
// The hook's packages bundle, when it has one.
let bundleModules: BundleModules | null = null;

export function setHook(factory: HookFactory, modules: BundleModules | undefined): void {
  hookFactory = factory;
  if (modules !== undefined) bundleModules = modules;
}

export function loadModule(): void {
  const module: HookModule = { exports: {}, id: '.', filename: '/hook.js', loaded: false, children: [], paths: [] };
  ReflectApply(hookFactory!, module.exports, [module.exports, hookRequire, module, '/hook.js', '/']);
  module.loaded = true;
  hookModule = module;
}

const AVAILABLE = 'console, fetch, Headers, Response, setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, ' +
  'crypto.randomUUID, crypto.getRandomValues, atob, btoa, TextEncoder, TextDecoder, URL, URLSearchParams, process.env';

/**
 * The hook's `require`. Named by a property key: a bundler renames a function declared as
 * `require` (`require2`), and hooks would see that name in stack traces.
 */
export const hookRequire = {
  require: function (name: unknown): unknown {
    if (bundleModules !== null) {
      const found = bundleModules.load(name);
      if (found !== null) return found.exports;
    }
    const error = new ErrorCtor("Cannot find module '" + safeString(name) + "': hook scripts cannot require modules. Available instead: " + AVAILABLE + '.') as Error & { code?: string };
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  },
}.require;
