/**
 * Bundles a hook's packages and the Node modules they use into one script for the sandbox, with
 * esbuild, in two parts:
 * - the Node modules (polyfills and shims), resolved as a browser bundler would (the polyfills are
 *   written for browserify: their `browser` fields matter), lazily loaded by name;
 * - the packages, resolved as Node resolves them (no `browser` field: axios must take its Node
 *   adapter, which runs over the sandbox's `http`), with every Node module sent to the first part.
 * The script's completion value is the object the runtime's `require` asks (shims/entry.js).
 */
import { realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { isAvailableNodeModule, nodeModuleFile, nodeModuleName, SHIM_FILES, SHIMS_DIR, UNAVAILABLE_NODE_MODULES } from './node-modules.ts';

export interface BundleInput {
  /** Specifier the hook requires → what to load: a package path (`axios`, `lodash/fp`) or a Node module name. */
  modules: Record<string, { kind: 'package' | 'node'; target: string }>;
  /** Folder whose node_modules holds the installed packages (unused when there are none). */
  resolveDir: string;
}

const NODE_NAMESPACE = 'hookgate-node';
const MISSING_NAMESPACE = 'hookgate-missing';
const MISSING = Symbol('resolving a possibly missing module');

/** Sends every import of a Node module to the Node-modules part of the bundle. */
function nodeModulesPlugin(used: Set<string>, roots: string[]): Plugin {
  return {
    name: 'hookgate-node-modules',
    setup(b) {
      b.onResolve({ filter: /^[a-z0-9_:/]+$/ }, (args) => {
        const name = nodeModuleName(args.path);
        if (name === null) return undefined;
        return { path: name, namespace: NODE_NAMESPACE };
      });
      b.onLoad({ filter: /.*/, namespace: NODE_NAMESPACE }, (args) => {
        if (isAvailableNodeModule(args.path)) {
          used.add(args.path);
          return { contents: `module.exports = __hookgateNode(${JSON.stringify(args.path)});`, loader: 'js' };
        }
        used.add('unavailable');
        return { contents: `module.exports = __hookgateNode("unavailable")(${JSON.stringify(args.path)});`, loader: 'js' };
      });
      // A package that requires a module it does not depend on (an optional peer such as
      // rest-facade's superagent-proxy) fails where Node would: at that require, not at the build.
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === MISSING || args.namespace !== 'file') return undefined;
        const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: MISSING });
        // Found outside the packages' folder (Node's lookup walks up into hookgate's own
        // node_modules): not one of the hook's packages, so missing, as in an install of its own.
        const inside = found.errors.length === 0 && (found.namespace !== 'file' || roots.some((root) => found.path.startsWith(root)));
        if (inside) return { path: found.path, namespace: found.namespace, external: found.external, sideEffects: found.sideEffects };
        return { path: args.path, namespace: MISSING_NAMESPACE };
      });
      b.onLoad({ filter: /.*/, namespace: MISSING_NAMESPACE }, (args) => ({
        contents: `const error = new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}); error.code = 'MODULE_NOT_FOUND'; throw error;`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Loads files from these folders only: a package requiring `../../../some/host/file.json` would
 * otherwise carry that file of the host into its bundle.
 */
function confinedTo(roots: string[]): Plugin {
  return {
    name: 'hookgate-confined',
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        if (args.namespace !== 'file' || roots.some((root) => args.path.startsWith(root))) return undefined;
        return { errors: [{ text: `A package requires ${args.path}, which is outside the packages' folder` }] };
      });
    },
  };
}

async function bundlePackages(input: BundleInput, used: Set<string>): Promise<string> {
  const lines = Object.entries(input.modules).map(([specifier, { kind, target }]) =>
    kind === 'node'
      ? `  ${JSON.stringify(specifier)}: () => __hookgateNode(${JSON.stringify(target)}),`
      : `  ${JSON.stringify(specifier)}: () => require(${JSON.stringify(target)}),`,
  );
  for (const module of Object.values(input.modules)) if (module.kind === 'node') used.add(module.target);
  for (const name of ['process', 'buffer', 'timers']) used.add(name);
  const roots = [realpathSync(input.resolveDir) + sep, SHIMS_DIR];
  const contents =
    `const install = require(${JSON.stringify(SHIM_FILES.entry)});\n` +
    `module.exports = install({\n${lines.join('\n')}\n}, ${JSON.stringify(UNAVAILABLE_NODE_MODULES)}, __hookgateNode);\n`;
  const result = await build({
    stdin: { contents, resolveDir: input.resolveDir, sourcefile: 'hookgate-packages.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__hookgatePackages',
    platform: 'neutral',
    mainFields: ['main', 'module'],
    conditions: ['node', 'require'],
    target: 'es2022',
    legalComments: 'none',
    // Smaller and faster to compile in every context that loads it; names stay for stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'silent',
    define: { global: 'globalThis', __dirname: '"/"', __filename: '"/index.js"' },
    plugins: [nodeModulesPlugin(used, roots), confinedTo(roots)],
  });
  return result.outputFiles[0]!.text;
}

async function bundleNodeModules(names: Set<string>): Promise<string> {
  const lines = [...names].sort().map((name) => {
    const file = name === 'unavailable' ? SHIM_FILES.unavailable : nodeModuleFile(name);
    return `  ${JSON.stringify(name)}: () => require(${JSON.stringify(file)}),`;
  });
  const contents =
    `const table = {\n${lines.join('\n')}\n};\nconst cache = new Map();\n` +
    'module.exports = function load(name) {\n' +
    '  if (!cache.has(name)) cache.set(name, table[name]());\n' +
    '  return cache.get(name);\n};\n';
  // The polyfills themselves see the shims as their globals and Node modules.
  const aliases: Plugin = {
    name: 'hookgate-stdlib',
    setup(b) {
      // readable-stream's browser build leaves out Readable.from, which is plain JavaScript.
      b.onResolve({ filter: /^\.\/internal\/streams\/from$/ }, (args) => ({ path: join(args.resolveDir, 'internal/streams/from.js') }));
      b.onResolve({ filter: /^[a-z0-9_:/]+$/ }, (args) => {
        const name = nodeModuleName(args.path);
        if (name === null) return undefined;
        if (isAvailableNodeModule(name)) return { path: nodeModuleFile(name) };
        return { path: name, namespace: NODE_NAMESPACE };
      });
      b.onLoad({ filter: /.*/, namespace: NODE_NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(SHIM_FILES.unavailable)})(${JSON.stringify(args.path)});`,
        resolveDir: import.meta.dirname,
        loader: 'js',
      }));
    },
  };
  const result = await build({
    stdin: { contents, resolveDir: import.meta.dirname, sourcefile: 'hookgate-node-modules.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__hookgateNode',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    // Smaller and faster to compile in every context that loads it; names stay for stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'silent',
    define: { global: 'globalThis' },
    plugins: [aliases],
  });
  return result.outputFiles[0]!.text;
}

// Node's globals, for the polyfills and the packages alike: their free identifiers resolve to these
// variables of the function around both parts, assigned before any module is loaded (all lazily).
const TIMER_NAMES = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'];
const GLOBALS_DECLARED = `var process, Buffer, ${TIMER_NAMES.join(', ')};`;
const GLOBALS_ASSIGNED =
  'process = __hookgateNode("process");\nBuffer = __hookgateNode("buffer").Buffer;\n' +
  TIMER_NAMES.map((name) => `${name} = __hookgateNode("timers").${name};`).join('\n');

/** The bundle's source text: a script whose completion value is the runtime's module table. */
export async function bundleModules(input: BundleInput): Promise<string> {
  const used = new Set<string>();
  const packages = await bundlePackages(input, used);
  const nodeModules = await bundleNodeModules(used);
  return `(function () {\n${GLOBALS_DECLARED}\n${nodeModules}\n${GLOBALS_ASSIGNED}\n${packages}\nreturn __hookgatePackages;\n})()\n`;
}
