/**
 * The in-isolate runtime as the isolate gets it: bundled from runtime/ by esbuild into one function
 * expression (src/sandbox/runtime-source.ts). That it typechecks is `npm run typecheck`'s part.
 */
import { randomBytes } from 'node:crypto';
import ivm from 'isolated-vm';
import { afterAll, describe, expect, it } from 'vitest';
import { Op, Out, type RuntimeLimits } from '../../src/sandbox/runtime-protocol.ts';
import { bundleRuntime, RUNTIME_FILENAME, runtimeSource } from '../../src/sandbox/runtime-source.ts';
import { HOOK_FILENAME, WRAPPER_COLUMN_OFFSET, wrapScript } from '../../src/sandbox/wrapper.ts';

const LIMITS: RuntimeLimits = {
  maxLogLines: 10,
  maxLogLineBytes: 1000,
  maxTimers: 10,
  maxFetches: 10,
  maxFetchBodyBytes: 1000,
  maxFetchHeaders: 10,
  maxFetchHeadBytes: 1000,
  maxResponseBytes: 10_000,
  maxResponseDepth: 10,
  wrapperColumnOffset: WRAPPER_COLUMN_OFFSET,
};

const INSTALLED = [
  'console', 'fetch', 'Headers', 'Response', 'crypto', 'atob', 'btoa', 'TextEncoder', 'TextDecoder', 'URL',
  'URLSearchParams', 'process', 'PreUserRegistrationError', 'global', 'setTimeout', 'setInterval', 'setImmediate',
  'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask',
];

const { source, inputs } = bundleRuntime();
const isolate = new ivm.Isolate({ memoryLimit: 32 });
afterAll(() => isolate.dispose());

function globalNames(context: ivm.Context): string[] {
  return JSON.parse(context.evalSync('JSON.stringify(Object.getOwnPropertyNames(globalThis).sort())') as string) as string[];
}

/** A bare context with the runtime evaluated and installed: its entry, and the global names before and after. */
function boot() {
  const context = isolate.createContextSync();
  const bare = globalNames(context);
  const runtime = isolate.compileScriptSync(source, { filename: RUNTIME_FILENAME });
  const install = runtime.runSync(context, { reference: true }) as ivm.Reference<(...args: unknown[]) => unknown>;
  const evaluated = globalNames(context);
  const lines: unknown[][] = [];
  let logged!: () => void;
  // Posted lines reach the host asynchronously (an `ignored` callback).
  const firstLine = new Promise<void>((resolve) => (logged = resolve));
  const postLog = new ivm.Callback((...line: unknown[]) => { lines.push(line); logged(); }, { ignored: true });
  const entry = install.applySync(undefined, [postLog, JSON.stringify(LIMITS)], { result: { reference: true } }) as ivm.Reference<(...args: unknown[]) => string>;
  return { context, entry, lines, firstLine, bare, evaluated, installed: globalNames(context), typeofInstall: install.typeof };
}

/** Loads `script` as the hook and starts one run with `args`; the outbox. */
function run(script: string, args: unknown[] = [{}, {}]) {
  const booted = boot();
  const hook = isolate.compileScriptSync(wrapScript(script), { filename: HOOK_FILENAME });
  const factory = hook.runSync(booted.context, { reference: true }) as ivm.Reference<unknown>;
  booted.entry.applySync(undefined, [Op.init, factory.derefInto({ release: true }), randomBytes(32).toString('hex')]);
  const outbox = JSON.parse(booted.entry.applySync(undefined, [Op.start, 7, JSON.stringify({ args: [...args, null], env: { WHO: 'x' } })]));
  return { ...booted, outbox };
}

describe('the runtime bundle', () => {
  it('is built from the runtime modules and the shared protocol module, and nothing of the host', () => {
    expect(inputs).toContain('main.ts');
    expect(inputs).toContain('intrinsics.ts');
    expect(inputs).toContain('../runtime-protocol.ts');
    expect(inputs.filter((input) => input.startsWith('../'))).toEqual(['../runtime-protocol.ts']);
    expect(source).toMatch(/^\(function hookgateRuntime\(postLog, limitsJson\) \{/);
    expect(source).not.toMatch(/sourceMappingURL|\/work\/|node_modules/);
  });

  it('is the script each process uses (read from the cache or built)', () => {
    expect(runtimeSource()).toBe(source);
  });

  it('is a function expression that a bare context evaluates without adding a global', () => {
    const { typeofInstall, bare, evaluated } = boot();
    expect(typeofInstall).toBe('function');
    expect(evaluated).toEqual(bare);
  });

  it('installs exactly its globals, removes the ones that run code outside a call, and leaves no bridge', () => {
    const { context, bare, installed } = boot();
    const added = installed.filter((name) => !bare.includes(name));
    const removed = bare.filter((name) => !installed.includes(name));
    // V8 has a console of its own (that prints nothing): the runtime's replaces it.
    expect(bare).toContain('console');
    expect(added.sort()).toEqual(INSTALLED.filter((name) => name !== 'console').sort());
    expect(removed.sort()).toEqual(['FinalizationRegistry', 'WebAssembly']);
    expect(context.evalSync("typeof Atomics.wait + ',' + typeof Atomics.waitAsync")).toBe('undefined,undefined');
    expect(context.evalSync("Object.keys(globalThis).join(',')")).toBe('');
  });

  it('keeps the names hook code sees: bundling renames none of its classes and functions', () => {
    const { context } = boot();
    const named = ['fetch', 'Headers', 'Response', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'atob', 'btoa', 'PreUserRegistrationError'];
    const names = JSON.parse(context.evalSync(`JSON.stringify([${named.join(', ')}].map((value) => value.name))`) as string);
    expect(names).toEqual(named);
  });

  it('runs a hook through the protocol: its require, console line and response', async () => {
    const script = `module.exports = function (user, context, cb) {
      console.log('hello', { who: process.env.WHO });
      try { require('fs'); } catch (error) { return cb(null, { requireName: require.name, frame: error.stack.split('\\n')[1].trim(), headers: String(new Headers()) }); }
    };`;
    const { outbox, lines, firstLine } = run(script);
    expect(outbox).toMatchObject({ logs: 1, style: 'callback', msgs: [{ t: Out.done, r: { requireName: 'require', headers: '[object Object]' } }] });
    // The runtime's frames carry its pseudo file name and its own function names.
    expect(outbox.msgs[0].r.frame).toMatch(/^at require \(hookgate:runtime:\d+:\d+\)$/);
    await firstLine;
    expect(lines).toEqual([[7, 'LOG', "hello { who: 'x' }"]]);
  });

  it('reports a hook error at its own line and column, behind the wrapper', () => {
    const { outbox } = run("module.exports = function (u, c, cb) { throw new TypeError('no'); };");
    expect(outbox.msgs).toEqual([{ t: Out.fail, error: { name: 'TypeError', message: 'no', userMessage: null, line: 1, column: 46 } }]);
  });
});
