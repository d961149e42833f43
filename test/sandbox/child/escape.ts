/**
 * Run in a child process by catastrophe.test.ts: scripts that break out of the wrapper they are
 * pasted into (syntax checks refuse them, but rows saved before may hold one), so their code runs
 * while the context is built. Prints one JSON line; a stalled main thread would print nothing.
 */
import { createSandbox } from '../../../src/sandbox/index.ts';
import { hookRequest } from '../helpers.ts';

const sandbox = createSandbox({ poolSize: 1, memoryLimitMb: 16 });
const escape = (body: string) => `module.exports = (u, c, cb) => cb(null, 'inside'); }); ${body}; (function () {`;
const ticks: number[] = [];
const cpuBefore = process.threadCpuUsage();
const timer = setInterval(() => ticks.push(performance.now()), 5);
const looping = await sandbox.run(hookRequest(escape('while (true) {}'), { timeoutMs: 500 }));
const wedging = await sandbox.run(hookRequest(escape("for (const mb of [4, 8, 16]) ({ ['y'.repeat(mb << 20)]: 1 })"), { timeoutMs: 5_000 }));
const after = await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'next');"));
clearInterval(timer);
const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
// The main thread's own CPU time meanwhile: what a loaded machine cannot stretch, unlike the gaps.
const { user, system } = process.threadCpuUsage(cpuBefore);
const mainCpuMs = (user + system) / 1000;
const summary = (r: { status: string; error?: { name: string } | null; isolateLost?: boolean }) => ({ status: r.status, error: r.error?.name, isolateLost: r.isolateLost ?? false });
process.stdout.write(`${JSON.stringify({ looping: summary(looping), wedging: summary(wedging), after: after.response, maxGapMs: Math.max(...gaps), mainCpuMs })}\n`);
// A parked isolate thread never ends: a normal exit would wait for it forever.
process.kill(process.pid, 'SIGKILL');
