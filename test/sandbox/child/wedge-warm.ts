/**
 * Run in a child process by catastrophe.test.ts: a warm hook that wedges its isolate on one input.
 * Prints one JSON line with what happened; if the main thread were parked by the wedge, it would
 * print nothing and the parent would kill it.
 */
import { createSandbox } from '../../../src/sandbox/index.ts';
import { hookRequest } from '../helpers.ts';

// Small sizes: the wedge comes within a few milliseconds of the call, as a quick hook's would.
const sandbox = createSandbox({ poolSize: 1, memoryLimitMb: 16 });
const script = "module.exports = (u, c, cb) => { if (u.id === 'boom') for (const mb of [4, 8, 16]) ({ ['y'.repeat(mb << 20)]: 1 }); cb(null, 'fine'); };";
const warm = [];
for (let i = 0; i < 3; i++) warm.push((await sandbox.run(hookRequest(script))).response);
const ticks: number[] = [];
const cpuBefore = process.threadCpuUsage();
const timer = setInterval(() => ticks.push(performance.now()), 5);
const wedged = await sandbox.run(hookRequest(script, { args: [{ id: 'boom' }, {}], timeoutMs: 5_000 }));
const after = await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'next');"));
clearInterval(timer);
const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
// The main thread's own CPU time meanwhile: what a loaded machine cannot stretch, unlike the gaps.
const { user, system } = process.threadCpuUsage(cpuBefore);
const mainCpuMs = (user + system) / 1000;
process.stdout.write(`${JSON.stringify({ warm, wedged: { status: wedged.status, isolateLost: wedged.isolateLost }, after: after.response, ticks: ticks.length, maxGapMs: Math.max(...gaps), mainCpuMs })}\n`);
// An isolate thread parked by the wedge never ends: a normal exit would wait for it forever.
process.kill(process.pid, "SIGKILL");
