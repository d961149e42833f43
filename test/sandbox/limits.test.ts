import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import type { LogLine } from '../../src/sandbox/types.ts';
import { hookRequest } from './helpers.ts';

const WATCHDOG_MARGIN_MS = 50;
const sandbox = createSandbox({
  poolSize: 2,
  memoryLimitMb: 32,
  maxResponseBytes: 1024,
  maxLogLines: 5,
  maxLogLineBytes: 64,
  maxTimersPerRun: 3,
  watchdogMarginMs: WATCHDOG_MARGIN_MS,
});
// Timings below are of runs, not of the sandbox process starting.
beforeAll(() => sandbox.ready());
afterAll(() => sandbox.dispose());

// Wall-clock upper bounds only guard against a stall (a run the deadline did not end would hang
// until the test's own timeout): a loaded 2-core machine fires a 200 ms timer late, so they are
// wide. That a run stopped *at* its timeout is shown by its own CPU time, which a loop cannot run
// up past the time it was let run, however slow the machine.
const STALL_MS = 5_000;

async function timed(request: Parameters<typeof sandbox.run>[0]) {
  const started = performance.now();
  const result = await sandbox.run(request);
  return { result, elapsed: performance.now() - started };
}

describe('timeouts', () => {
  it('ends a callback that is never called as TIMED_OUT, saying so', async () => {
    const { result, elapsed } = await timed(hookRequest('module.exports = function (user, context, cb) {};', { timeoutMs: 200 }));
    expect(result.status).toBe('TIMED_OUT');
    expect(result.error?.message).toMatch(/callback was never called/);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(200 + STALL_MS);
  });

  it('stops a synchronous endless loop', async () => {
    const { result, elapsed } = await timed(hookRequest('module.exports = function () { while (true) {} };', { timeoutMs: 200 }));
    expect(result.status).toBe('TIMED_OUT');
    expect(result.error?.name).toBe('TimeoutError');
    expect(elapsed).toBeLessThan(200 + STALL_MS);
    expect(result.cpuTimeMs).toBeGreaterThan(100);
    expect(result.cpuTimeMs).toBeLessThan(200 + WATCHDOG_MARGIN_MS);
  });

  it('stops an endless loop that starts after an await', async () => {
    const script = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 20)); for (;;) {} };';
    const { result, elapsed } = await timed(hookRequest(script, { args: [{}], timeoutMs: 200 }));
    expect(result.status).toBe('TIMED_OUT');
    expect(elapsed).toBeLessThan(200 + STALL_MS);
    expect(result.cpuTimeMs).toBeLessThan(200 + WATCHDOG_MARGIN_MS);
  });

  it('ends a promise that never settles as TIMED_OUT', async () => {
    const { result, elapsed } = await timed(hookRequest('exports.handler = () => new Promise(() => {});', { args: [{}], timeoutMs: 200 }));
    expect(result.status).toBe('TIMED_OUT');
    expect(result.error?.message).toMatch(/promise did not settle/);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(200 + STALL_MS);
  });

  it('runs hooks normally after a timeout', async () => {
    await sandbox.run(hookRequest('module.exports = () => { for (;;) {} };', { timeoutMs: 100 }));
    const result = await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'fine');"));
    expect(result.response).toBe('fine');
  });
});

describe('memory', () => {
  it('ends a memory bomb as MEMORY_LIMIT_EXCEEDED, and the next run works', async () => {
    const bomb = "module.exports = () => { const hoard = []; for (;;) hoard.push('x'.repeat(1024) + hoard.length); };";
    const result = await sandbox.run(hookRequest(bomb, { timeoutMs: 10_000 }));
    expect(result.status).toBe('MEMORY_LIMIT_EXCEEDED');
    const after = await Promise.all([1, 2, 3].map((n) => sandbox.run(hookRequest(`module.exports = (u, c, cb) => cb(null, ${n});`))));
    expect(after.map((r) => r.response)).toEqual([1, 2, 3]);
  });
});

describe('responses', () => {
  it('fails an oversized response before copying it out', async () => {
    const result = await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, { blob: 'é'.repeat(600) });"));
    expect(result.status).toBe('FAILED');
    expect(result.error?.name).toBe('ResponseTooLarge');
    expect(result.error?.message).toMatch(/1024 bytes allowed/);
    expect(result.response).toBeUndefined();
  });

  it('fails a circular response with a clear message', async () => {
    const result = await sandbox.run(hookRequest('exports.handler = async () => { const user = {}; user.self = user; return { user }; };', { args: [{}] }));
    expect(result.status).toBe('FAILED');
    expect(result.error?.name).toBe('ResponseNotSerializable');
    expect(result.error?.message).toMatch(/circular/i);
  });

  it('fails a BigInt response as not serializable', async () => {
    const result = await sandbox.run(hookRequest('module.exports = (u, c, cb) => cb(null, { n: 10n });'));
    expect(result.error?.name).toBe('ResponseNotSerializable');
  });
});

describe('console', () => {
  it('keeps at most maxLogLines lines and marks the cut', async () => {
    const result = await sandbox.run(hookRequest("module.exports = (u, c, cb) => { for (let i = 0; i < 50; i++) console.log('line', i); cb(null, true); };"));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.logsTruncated).toBe(true);
    expect(result.logs).toHaveLength(6);
    expect(result.logs.slice(0, 5).map((l) => l.message)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(result.logs[5]).toMatchObject({ level: 'WARN', message: expect.stringMatching(/log limit reached/) });
  });

  it('cuts long lines at maxLogLineBytes with a marker', async () => {
    const result = await sandbox.run(hookRequest("module.exports = (u, c, cb) => { console.error('€'.repeat(100)); cb(null, true); };"));
    expect(result.logsTruncated).toBe(true);
    const [line] = result.logs;
    expect(line.level).toBe('ERROR');
    expect(line.message.startsWith('€'.repeat(21))).toBe(true);
    expect(line.message).toMatch(/line cut at 64 bytes/);
  });

  it('calls onLog with each line while the run is still going', async () => {
    const script = `module.exports = (u, c, cb) => {
      console.log('before');
      setTimeout(() => { console.log('after'); cb(null, 'done'); }, 200);
    };`;
    // Event order, not timing: each line is seen before the run ends, the first one long before.
    const events: string[] = [];
    const seen: { line: LogLine; at: number }[] = [];
    const started = performance.now();
    let firstLine!: () => void;
    const first = new Promise<void>((resolve) => (firstLine = resolve));
    const run = sandbox
      .run(hookRequest(script, { onLog: (line) => (events.push(`log ${line.message}`), seen.push({ line, at: performance.now() - started }), firstLine()) }))
      .then((result) => (events.push('result'), result));
    await first;
    expect(events).toEqual(['log before']);
    const result = await run;
    expect(result.response).toBe('done');
    expect(events).toEqual(['log before', 'log after', 'result']);
    // The second line waited for its 200 ms timer.
    expect(seen[1]!.at).toBeGreaterThanOrEqual(190);
    expect(result.logs.map((l) => l.message)).toEqual(['before', 'after']);
  });

  it('goes on when onLog throws: the run ends, and so does another run answered with it', async () => {
    const script = `module.exports = (u, c, cb) => { console.log('hello'); cb(null, 'done') }`;
    const results = await Promise.all([
      sandbox.run(hookRequest(script, { onLog: () => { throw new Error('listener failed'); } })),
      sandbox.run(hookRequest(script)),
    ]);
    expect(results.map((result) => [result.status, result.response, result.logs.map((l) => l.message)])).toEqual([
      ['SUCCEEDED', 'done', ['hello']],
      ['SUCCEEDED', 'done', ['hello']],
    ]);
  });
});

describe('timers', () => {
  it('limits timers per run', async () => {
    const script = `module.exports = (u, c, cb) => {
      try { for (let i = 0; i < 10; i++) setTimeout(() => {}, 1000); } catch (e) { return cb(null, e.message); }
      cb(null, 'no limit');
    };`;
    const result = await sandbox.run(hookRequest(script));
    expect(result.response).toMatch(/at most 3/);
  });

  it('supports clearTimeout and setInterval/clearInterval, and clears timers when the run ends', async () => {
    const script = `let leaked = 0;
    module.exports = (u, c, cb) => {
      if (u.check) return cb(null, leaked);
      const cancelled = setTimeout(() => { leaked++; }, 10);
      clearTimeout(cancelled);
      setTimeout(() => { leaked++; }, 80);
      let ticks = 0;
      const interval = setInterval(() => { if (++ticks === 3) { clearInterval(interval); cb(null, ticks); } }, 5);
    };`;
    const single = createSandbox({ poolSize: 1 });
    try {
      const first = await single.run(hookRequest(script));
      expect(first.response).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const check = await single.run(hookRequest(script, { args: [{ check: true }, {}] }));
      expect(check.response).toBe(0);
    } finally {
      await single.dispose();
    }
  });
});
