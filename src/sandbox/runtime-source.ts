/**
 * The in-isolate runtime (runtime/, entry runtime/main.ts) bundled into the one script an isolate
 * compiles: a function expression that each fresh context evaluates and calls once with the host's
 * log callback and its limits, and that returns the runtime's `entry` function. The bundle's
 * modules live in that function's closure, so nothing of them is left on the global object.
 *
 * Bundled with esbuild, once per process, on first use (a sandbox process builds it when it makes
 * its first isolate; README.md has the cost). Not minified: stack traces and error messages that
 * reach a hook stay readable.
 */
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The name V8 reports in stack traces for runtime code. */
export const RUNTIME_FILENAME = 'hookgate:runtime';

const RUNTIME_DIR = fileURLToPath(new URL('./runtime/', import.meta.url));

let built: string | undefined;

/** The runtime's script: `(function hookgateRuntime(postLog, limitsJson) { …; return entry; })`. */
export function runtimeSource(): string {
  built ??= bundleRuntime();
  return built;
}

/** Bundles the runtime afresh (runtimeSource() keeps the first). */
export function bundleRuntime(): string {
  const result = buildSync({
    absWorkingDir: RUNTIME_DIR,
    entryPoints: ['main.ts'],
    tsconfig: 'tsconfig.json',
    bundle: true,
    write: false,
    // An IIFE whose completion is main.ts's exports, held in a local of the function around it.
    format: 'iife',
    globalName: 'runtime',
    platform: 'neutral',
    // Nothing lowered: private fields and classes stay native, with no helper a hook could tamper with.
    target: 'esnext',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return "(function hookgateRuntime(postLog, limitsJson) {\n'use strict';\n" + result.outputFiles[0]!.text + 'return runtime.install(postLog, limitsJson);\n})';
}
