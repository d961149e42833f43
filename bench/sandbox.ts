/**
 * Sandbox benchmark: warm runs of a trivial hook through `createSandbox().run`, against a fresh
 * context per run through the same `sandbox.run` (a new cache key each run), and against the
 * cheapest a fresh context or a fresh isolate per run can be: the same runtime, wrapper, hook and
 * arguments in synchronous calls on the main thread. The sandbox itself never runs hook code on the
 * main thread (a wedged isolate parks the thread it runs on for good), so each of its runs pays a
 * hop to an isolated-vm thread and back; the synchronous baselines do not.
 */
import { randomBytes } from 'node:crypto';
import ivm from 'isolated-vm';
import { createSandbox } from '../src/sandbox/index.ts';
import type { RuntimeLimits } from '../src/sandbox/runtime-protocol.ts';
import { RUNTIME_FILENAME, runtimeSource } from '../src/sandbox/runtime-source.ts';
import { HOOK_FILENAME, WRAPPER_COLUMN_OFFSET, wrapScript } from '../src/sandbox/wrapper.ts';

const SCRIPT = 'module.exports = function (user, context, cb) { cb(null, {ok: true}) }';
const ARGS = [
  { tenant: 'my-tenant', username: 'user1', email: 'user1@foo.com', user_metadata: { hobby: 'surfing' } },
  { request: { language: 'en-us', ip: '123.123.123.123' }, webtask: { secrets: { API_KEY: 'k' } } },
];
const LIMITS = JSON.stringify(<RuntimeLimits>{
  maxLogLines: 100,
  maxLogLineBytes: 4096,
  maxTimers: 100,
  maxFetches: 20,
  maxFetchBodyBytes: 1024 * 1024,
  maxResponseBytes: 256 * 1024,
  wrapperColumnOffset: WRAPPER_COLUMN_OFFSET,
});

interface Stats {
  runs: number;
  runsPerSecond: number;
  medianUs: number;
  p99Us: number;
}

function stats(samplesNs: number[], totalNs: number): Stats {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    runsPerSecond: sorted.length / (totalNs / 1e9),
    medianUs: sorted[sorted.length >> 1]! / 1e3,
    p99Us: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]! / 1e3,
  };
}

async function measure(runs: number, once: () => unknown): Promise<Stats> {
  const samples: number[] = [];
  const begin = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await once();
    samples.push(Number(process.hrtime.bigint() - start));
  }
  return stats(samples, Number(process.hrtime.bigint() - begin));
}

/** One run the way a sandbox without caching would do it, in a given isolate. */
function runInFreshContext(isolate: ivm.Isolate, runtime: ivm.Script): unknown {
  const context = isolate.createContextSync();
  try {
    const boot = runtime.runSync(context, { reference: true }) as ivm.Reference<(...args: unknown[]) => unknown>;
    const entry = boot.applySync(undefined, [new ivm.Callback(() => {}, { ignored: true }), LIMITS], { result: { reference: true } }) as ivm.Reference<(...args: unknown[]) => string>;
    const hook = isolate.compileScriptSync(wrapScript(SCRIPT), { filename: HOOK_FILENAME });
    const factory = hook.runSync(context, { reference: true }) as ivm.Reference<unknown>;
    entry.applySync(undefined, ['init', factory.derefInto({ release: true }), randomBytes(32).toString('hex')]);
    const out = JSON.parse(entry.applySync(undefined, ['start', 1, JSON.stringify({ args: [...ARGS, null], env: {} })], { timeout: 1000 }));
    if (out.msgs[0]?.t !== 'done') throw new Error(`baseline run failed: ${JSON.stringify(out)}`);
    hook.release();
    boot.release();
    entry.release();
    return out.msgs[0].r;
  } finally {
    context.release();
  }
}

function format(name: string, s: Stats): string {
  return `${name.padEnd(24)} ${String(s.runs).padStart(6)} runs  ${s.runsPerSecond.toFixed(0).padStart(8)} runs/s  median ${s.medianUs.toFixed(1).padStart(8)} µs  p99 ${s.p99Us.toFixed(1).padStart(8)} µs`;
}

export async function benchSandbox(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const sandbox = createSandbox();
  const request = { cacheKey: 'bench-trivial', script: SCRIPT, args: ARGS, env: { REGION: 'eu' }, timeoutMs: 5000 };
  try {
    for (let i = 0; i < 3000; i++) {
      const result = await sandbox.run(request);
      if (result.status !== 'SUCCEEDED') throw new Error(`warm-up run failed: ${JSON.stringify(result.error)}`);
    }
    gc?.();
    const warm = await measure(30_000, () => sandbox.run(request));

    gc?.();
    let fresh = 0;
    const freshThroughSandbox = await measure(500, () => sandbox.run({ ...request, cacheKey: `bench-fresh-${fresh++}` }));

    gc?.();
    const isolate = new ivm.Isolate({ memoryLimit: 128 });
    const runtime = isolate.compileScriptSync(runtimeSource(), { filename: RUNTIME_FILENAME });
    for (let i = 0; i < 20; i++) runInFreshContext(isolate, runtime);
    const freshContext = await measure(500, () => runInFreshContext(isolate, runtime));
    isolate.dispose();

    gc?.();
    const freshIsolate = await measure(100, () => {
      const own = new ivm.Isolate({ memoryLimit: 128 });
      try {
        return runInFreshContext(own, own.compileScriptSync(runtimeSource(), { filename: RUNTIME_FILENAME }));
      } finally {
        own.dispose();
      }
    });

    console.log('sandbox: trivial Auth0 hook, cb(null, {ok: true})');
    console.log(format('warm (sandbox.run)', warm));
    console.log(format('fresh context (sandbox)', freshThroughSandbox));
    console.log(format('fresh context, sync', freshContext));
    console.log(format('fresh isolate, sync', freshIsolate));
    console.log(`warm vs fresh context through sandbox.run: ${(freshThroughSandbox.medianUs / warm.medianUs).toFixed(1)}x faster (median)`);
    console.log(`warm vs fresh context in synchronous calls: ${(freshContext.medianUs / warm.medianUs).toFixed(1)}x faster (median)`);
    console.log(`warm vs fresh isolate in synchronous calls: ${(freshIsolate.medianUs / warm.medianUs).toFixed(1)}x faster (median)`);
  } finally {
    await sandbox.dispose();
  }
}
