import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { hookRequest } from './helpers.ts';

const sandbox = createSandbox({ poolSize: 2 });
afterAll(() => sandbox.dispose());

const QUICK = 'module.exports = (user, context, cb) => cb(null, { n: user.n, key: context.webtask.secrets.KEY });';

describe('concurrency', () => {
  it('lets 50 quick runs finish while another run loops forever', async () => {
    const started = performance.now();
    const looping = sandbox.run(hookRequest('module.exports = () => { for (;;) {} };', { timeoutMs: 1_500 }));
    const quick = Array.from({ length: 50 }, (_, n) =>
      sandbox.run(hookRequest(QUICK, { args: [{ n }, { webtask: { secrets: { KEY: `k${n}` } } }] })).then((result) => ({
        result,
        at: performance.now() - started,
      })),
    );
    const done = await Promise.all(quick);
    expect(done.map(({ result }) => result.status)).toEqual(Array(50).fill('SUCCEEDED'));
    expect(done.map(({ result }) => result.response)).toEqual(Array.from({ length: 50 }, (_, n) => ({ n, key: `k${n}` })));
    // All of them long before the loop's timeout: the loop held one isolate, not the process.
    expect(Math.max(...done.map(({ at }) => at))).toBeLessThan(1_000);
    expect((await looping).status).toBe('TIMED_OUT');
  });

  it('keeps the event loop free while a hook computes off the main thread', async () => {
    const cpuBefore = process.threadCpuUsage();
    const busy = sandbox.run(hookRequest('module.exports = (u, c, cb) => { const end = Date.now() + 300; while (Date.now() < end) {} cb(null, 1); };'));
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const result = await busy;
    clearInterval(timer);
    expect(result.response).toBe(1);
    // The main thread's own CPU time, not the wall clock, which a loaded machine stretches: the
    // hook computed for 300 ms, the main thread only routed its run and kept its timer turning.
    expect(mainThreadCpuMs(cpuBefore)).toBeLessThan(150);
    expect(ticks.length).toBeGreaterThan(1);
  });

  it('never runs a warm script on the main thread, even one that suddenly loops', async () => {
    const script = 'module.exports = (user, context, cb) => { if (user.loop) for (;;) {} cb(null, "ok"); };';
    // Warm it up: the first run loads the module, later ones reuse its context.
    for (let i = 0; i < 4; i++) expect((await sandbox.run(hookRequest(script, { args: [{}, {}] }))).response).toBe('ok');
    const cpuBefore = process.threadCpuUsage();
    const looping = sandbox.run(hookRequest(script, { args: [{ loop: true }, {}], timeoutMs: 400 }));
    // Starting the run does not wait for any of its code (which loops until its 400 ms timeout).
    const startCpuMs = mainThreadCpuMs(cpuBefore);
    const quick = await sandbox.run(hookRequest(QUICK, { args: [{ n: 1 }, { webtask: { secrets: { KEY: 'k' } } }] }));
    expect(quick.status).toBe('SUCCEEDED');
    const result = await looping;
    expect(startCpuMs).toBeLessThan(50);
    expect(result.status).toBe('TIMED_OUT');
    // Nor did any of the loop run on the main thread afterwards: CPU time, not the wall clock.
    expect(mainThreadCpuMs(cpuBefore)).toBeLessThan(200);
    // And the script still works afterwards.
    expect((await sandbox.run(hookRequest(script, { args: [{}, {}] }))).response).toBe('ok');
  });

  it('fails queued runs when the sandbox is disposed, and refuses new ones', async () => {
    const own = createSandbox({ poolSize: 1 });
    const running = own.run(hookRequest('module.exports = () => {};', { timeoutMs: 5_000 }));
    const queued = own.run(hookRequest(QUICK, { args: [{ n: 1 }, { webtask: { secrets: {} } }] }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await own.dispose();
    expect((await running).error?.name).toBe('SandboxDisposed');
    expect((await queued).error?.name).toBe('SandboxDisposed');
    expect((await own.run(hookRequest(QUICK))).error?.name).toBe('SandboxDisposed');
  });
});

/** CPU time the main thread spent since `before` (process.threadCpuUsage), in milliseconds. */
function mainThreadCpuMs(before: NodeJS.CpuUsage): number {
  const { user, system } = process.threadCpuUsage(before);
  return (user + system) / 1000;
}
