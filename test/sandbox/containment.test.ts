/**
 * Process containment: a wedged isolate costs its sandbox process, which is replaced and whose
 * memory returns; runs of others end as they would have, or with a typed SandboxCrashed when their
 * process dies under them; nothing waits for ever.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { hugeKeysWedge } from '../wedge-probe.ts';
import { alive, hookRequest, listenPeer, until, type Peer } from './helpers.ts';

const WEDGES = "module.exports = (u, c, cb) => { for (const mb of [4, 8, 16]) ({ ['y'.repeat(mb << 20)]: 1 }); cb(null, 'never'); };";
const sandbox = createSandbox({ poolSize: 2, memoryLimitMb: 16, fetch: { allowHosts: ['127.0.0.1'] } });
const held: ServerResponse[] = [];
let peer: Peer;

beforeAll(async () => {
  peer = await listenPeer((_req, res) => held.push(res));
  await sandbox.ready();
});
afterAll(async () => {
  await peer.close();
  await sandbox.dispose();
});

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

describe('a wedged isolate', () => {
  // Only where V8 still wedges on a huge property key (Node 24; Node 26 allocates it).
  it.skipIf(!hugeKeysWedge)('costs its process, which is replaced: after 20 wedges every old process is gone and memory is back', async () => {
    // A fresh process that ran a hook: its size (some 95-105 MB, most of it Node and isolated-vm) is the baseline.
    expect((await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'first');"))).response).toBe('first');
    const baselineMb = rssMb(sandbox.pids()[0]!);
    const replacedBefore = sandbox.replacements();
    const pids = new Set<number>();
    for (let i = 0; i < 20; i++) {
      pids.add(sandbox.pids()[0]!);
      const result = await sandbox.run(hookRequest(`${WEDGES} // ${i}`, { tenantId: `wedger-${i}`, timeoutMs: 10_000 }));
      expect(result).toMatchObject({ status: 'MEMORY_LIMIT_EXCEEDED', isolateLost: true, ended: 'RAN' });
    }
    const after = await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'next');"));
    expect(after.response).toBe('next');
    expect(sandbox.replacements() - replacedBefore).toBe(20);
    await until(() => [...pids].every((pid) => !alive(pid)), 'the replaced processes to end');
    // What is left is one fresh process: not the 20 × 16 MB the wedged isolates held.
    expect(rssMb(sandbox.pids()[0]!)).toBeLessThan(baselineMb + 40);
  }, 120_000);

  it("counts a script that does not stop at its timeout (normalize() of megabytes) as a wedge, and replaces its process", async () => {
    // The default memory limit, as in the report: normalize() then runs long in native code.
    const roomy = createSandbox({ poolSize: 2 });
    await roomy.ready();
    const pid = roomy.pids()[0]!;
    const script = "module.exports = (u, c, cb) => { for (;;) 'ǆ'.repeat(1e7).normalize('NFKD'); };";
    const result = await roomy.run(hookRequest(script, { tenantId: 'normalizer', timeoutMs: 300 }));
    // isolated-vm's timeout cannot stop it (normalize() runs in native code): it counts as a wedge,
    // and the thread that would run on is ended with its process.
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: { name: 'TimeoutError' } });
    await until(() => roomy.pids()[0] !== pid, 'the process to be replaced');
    await until(() => !alive(pid), 'the wedged process to end');
    expect((await roomy.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'next');"))).response).toBe('next');
    await roomy.dispose();
  }, 60_000);

  // Only where V8 still wedges on a huge property key (Node 24; Node 26 allocates it).
  it.skipIf(!hugeKeysWedge)("lets another tenant's run in the retired process end normally", async () => {
    const script = `exports.handler = async () => (await fetch('${peer.base}/wait')).text();`;
    const waiting = sandbox.run(hookRequest(script, { tenantId: 'patient', args: [{}], timeoutMs: 30_000 }));
    await until(() => held.length === 1, 'the fetch to arrive');
    const oldPid = sandbox.pids()[0]!;
    const wedged = await sandbox.run(hookRequest(`${WEDGES} // neighbour`, { tenantId: 'wedger', timeoutMs: 10_000 }));
    expect(wedged.isolateLost).toBe(true);
    expect(sandbox.pids()[0]).not.toBe(oldPid);
    // The old process is retired, not killed: it finishes what it has under way.
    expect(alive(oldPid)).toBe(true);
    held.shift()!.end('answered');
    expect(await waiting).toMatchObject({ status: 'SUCCEEDED', response: 'answered', ended: 'RAN' });
    await until(() => !alive(oldPid), 'the retired process to end');
  }, 60_000);
});

describe('a sandbox process that dies', () => {
  it('ends the runs it had with SandboxCrashed, and a new process takes the next runs', async () => {
    const script = "module.exports = (u, c, cb) => { console.log('waiting'); setTimeout(() => cb(null, 'late'), 20000); };";
    await sandbox.ready();
    const pid = sandbox.pids()[0]!;
    let running = false;
    const cutOff = sandbox.run(hookRequest(script, { tenantId: 'bystander', timeoutMs: 30_000, onLog: () => (running = true) }));
    await until(() => running, 'the run to start');
    process.kill(pid, 'SIGKILL');
    expect(await cutOff).toMatchObject({ status: 'FAILED', ended: 'CRASHED', error: { name: 'SandboxCrashed' } });
    expect(sandbox.pids()[0]).not.toBe(pid);
    expect((await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'next');"))).response).toBe('next');
  }, 60_000);
});
