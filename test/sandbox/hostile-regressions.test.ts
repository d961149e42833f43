/**
 * Sandbox bugs the hostile hook suite (test/hostile) found, pinned down at the sandbox's own level.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { exceedsDepth } from '../../src/sandbox/run-outcome.ts';
import { hookRequest, listenPeer } from './helpers.ts';
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

describe('a flood of 1 ms intervals', () => {
  // A hundred 1 ms intervals used to queue a delivery per firing (a hundred per millisecond) into
  // one call that held the isolate and its CPU slot until the deadline, then drained them: the run
  // ended 1.5-7.8 s after a 1 s timeout. Now an interval fires once per delivery, and the waiting
  // firings go into the run's next turn, queued behind other runs' calls.
  // 100 timers at most: with an answer, 99 intervals and the answer's timeout.
  const flood = (answerAfterMs?: number) => `module.exports = (u, c, cb) => {
    let ticks = 0;
    for (let i = 0; i < ${answerAfterMs === undefined ? 100 : 99}; i++) setInterval(() => { if (++ticks === 1) console.log('flooding'); }, 1);
    ${answerAfterMs === undefined ? '' : `setTimeout(() => cb(null, ticks), ${answerAfterMs});`}
  };`;

  it('lets its own timeout fire among them, and its intervals keep ticking', async () => {
    const result = await sandbox.run(hookRequest(flood(300), { timeoutMs: 5_000 }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toBeGreaterThan(100);
  });

  it('ends at its deadline: the time it waits behind its own calls does not push the deadline back', async () => {
    const result = await sandbox.run(hookRequest(flood(), { timeoutMs: 1_000 }));
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: { name: 'TimeoutError' } });
    // A guard against the stall above only (it ends within a few ms when alone), wide enough for a loaded machine.
    expect(result.durationMs).toBeLessThan(1_000 + 1_000);
  });

  it('holds the only CPU slot only for its turns: a run of another hook of the tenant goes through meanwhile', async () => {
    // Its own sandbox of one slot, and a peer that answers when told: the flood ends when the test says.
    const box = createSandbox({ poolSize: 1, fetch: { allowHosts: ['127.0.0.1'] } });
    const held: ServerResponse[] = [];
    let arrived!: () => void;
    const fetched = new Promise<void>((resolve) => (arrived = resolve));
    const peer = await listenPeer((_req, res) => (held.push(res), arrived()));
    try {
      const script = `module.exports = (u, c, cb) => {
        for (let i = 0; i < 99; i++) setInterval(() => {}, 1);
        fetch('${peer.base}/hold').then((r) => r.text()).then((text) => cb(null, text), cb);
      };`;
      const flooded = box.run(hookRequest(script, { tenantId: 'flooder', timeoutMs: 30_000 }));
      // Its intervals are firing and its fetch is out.
      await fetched;
      const quick = await box.run(hookRequest(`${normal} // beside a flood`, { tenantId: 'flooder' }));
      expect(quick).toMatchObject({ status: 'SUCCEEDED', response: 'still fine' });
      held.shift()!.end('released');
      expect(await flooded).toMatchObject({ status: 'SUCCEEDED', response: 'released' });
    } finally {
      await peer.close();
      await box.dispose();
    }
  }, 20_000);
});
