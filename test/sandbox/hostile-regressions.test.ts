/**
 * Sandbox bugs the hostile hook suite (test/hostile) found, pinned down at the sandbox's own level.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { exceedsDepth } from '../../src/sandbox/run-outcome.ts';
import { hookRequest } from './helpers.ts';
import { hugeKeysWedge } from '../wedge-probe.ts';

// One isolate: a hook that wedged it would fail the next run, which is what these tests look for.
const sandbox = createSandbox({ poolSize: 1, memoryLimitMb: 32 });
afterAll(() => sandbox.dispose());

const normal = "module.exports = (u, c, cb) => cb(null, 'still fine');";

describe('code that would run outside any call of the host', () => {
  // Each of these used to hold the isolate's lock with no timeout around it: the host's next
  // synchronous call (a new context) blocked the whole process for good, and Atomics.waitAsync
  // aborted it ("terminate called without an active exception").
  it.each([
    ['FinalizationRegistry', 'const r = new FinalizationRegistry(() => { for (;;) {} }); module.exports = (u, c, cb) => { for (let i = 0; i < 1e5; i++) r.register({ g: new Array(100) }, i); cb(null, 1); };'],
    ['Atomics.waitAsync', 'module.exports = (u, c, cb) => { Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20).value.then(() => { for (;;) {} }); cb(null, 1); };'],
    ['WebAssembly', 'module.exports = (u, c, cb) => { WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => { for (;;) {} }); cb(null, 1); };'],
  ])('has no %s', async (name, script) => {
    const result = await sandbox.run(hookRequest(script, { timeoutMs: 1_000 }));
    expect(result.status).toBe('FAILED');
    expect(result.error?.message).toMatch(/is not defined|is not a function/);
    // Some garbage for a registry to collect, then the next runs on the same isolate.
    await sandbox.run(hookRequest('module.exports = (u, c, cb) => { const a = []; for (let i = 0; i < 2e5; i++) a.push({ i }); cb(null, a.length); };'));
    const after = await sandbox.run(hookRequest(`${normal} // after ${name}`, { timeoutMs: 1_000 }));
    expect(after).toMatchObject({ status: 'SUCCEEDED', response: 'still fine' });
  });

  it('lists none of them on the global object', async () => {
    const script = "module.exports = (u, c, cb) => cb(null, [typeof FinalizationRegistry, typeof WebAssembly, typeof Atomics.waitAsync, typeof Atomics.wait, typeof WeakRef]);";
    const result = await sandbox.run(hookRequest(script));
    expect(result.response).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'function']);
  });
});

describe('deeply nested responses', () => {
  it('fails a response nested deeper than maxResponseDepth before it reaches the host', async () => {
    // 20 000 levels are 40 KB of JSON, well under the size cap, and overflow any recursive walk.
    const script = "module.exports = (u, c, cb) => { let v = 'x'; for (let i = 0; i < 20000; i++) v = i % 2 ? [v] : { v }; cb(null, v); };";
    const result = await sandbox.run(hookRequest(script));
    expect(result).toMatchObject({ status: 'FAILED', error: { name: 'ResponseTooDeep', message: 'The response nests objects and arrays more than 100 levels deep' } });
    expect(result.response).toBeUndefined();
  });

  it('accepts exactly maxResponseDepth levels, and brackets inside strings do not count', async () => {
    const script = "module.exports = (u, c, cb) => { let v = '[[[{{{\\\\\"[[[['.repeat(100); for (let i = 0; i < 100; i++) v = [v]; cb(null, v); };";
    const result = await sandbox.run(hookRequest(script));
    expect(result.status).toBe('SUCCEEDED');
    expect(exceedsDepth(result.response, 100)).toBe(false);
    expect(exceedsDepth(result.response, 99)).toBe(true);
  });

  it('is checked again on the host, iteratively', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: [deep] };
    expect(exceedsDepth(deep, 100)).toBe(true);
    expect(exceedsDepth({ a: [1, { b: null }], c: 'x' }, 3)).toBe(false);
    expect(exceedsDepth('plain', 0)).toBe(false);
  });
});

describe('catastrophic errors', () => {
  // A property key of 40 MB is internalized in one allocation V8 cannot fit: instead of the usual
  // graceful out-of-memory, isolated-vm reports a catastrophic error and the call into the isolate
  // never returns. The run used to hang for good, taking its pool worker with it.
  // Only where V8 still wedges on a huge property key (Node 24; Node 26 allocates it).
  it.skipIf(!hugeKeysWedge)('ends a run whose isolate dies of a catastrophic out-of-memory, and the pool keeps its worker', async () => {
    const script = "module.exports = (u, c, cb) => { for (const mb of [20, 40, 80, 160]) ({ ['y'.repeat(mb << 20)]: 1 }); cb(null, 'survived'); };";
    const started = performance.now();
    const result = await sandbox.run(hookRequest(script, { timeoutMs: 10_000 }));
    expect(result).toMatchObject({ status: 'MEMORY_LIMIT_EXCEEDED', error: { name: 'MemoryLimitExceeded' }, isolateLost: true });
    // Reported when it happens, not at the deadline.
    expect(performance.now() - started).toBeLessThan(5_000);
    // The only worker of this pool runs the next hook.
    expect(await sandbox.run(hookRequest(normal, { timeoutMs: 2_000 }))).toMatchObject({ status: 'SUCCEEDED', response: 'still fine' });
  });
});

describe('console lines of huge values', () => {
  it('cuts megabyte strings before formatting them, so logging them costs little time', async () => {
    const script = `module.exports = (u, c, cb) => {
      const big = 'y'.repeat(16 * 1024 * 1024);
      for (let i = 0; i < 50; i++) console.log(big, [big], { big }, new Map([[big, big]]), '%s', big);
      console.log('%s and %j', big, [big]);
      cb(null, 'done');
    };`;
    const result = await sandbox.run(hookRequest(script, { timeoutMs: 5_000 }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.cpuTimeMs).toBeLessThan(1_000);
    expect(result.logs).toHaveLength(51);
    for (const line of result.logs) expect(line.message).toMatch(/^y{4096}… \[hookgate: line cut at 4096 bytes\]$/);
  });
});
