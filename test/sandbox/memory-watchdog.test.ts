/**
 * The host bounds each sandbox process's resident memory, whatever V8's heap limits count: above
 * `processRssRetireMb` the process is retired (a fresh one takes new runs, the runs under way
 * finish), above `processRssKillMb` it is killed and its runs end SandboxCrashed. The bounds here
 * are small beside a roomy heap limit, so an ordinary allocation passes them; the tests wait on
 * the sandbox's replacement events and on a peer that answers when told, never on time.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type ProcessEnd } from '../../src/sandbox/index.ts';
import { resolveOptions } from '../../src/sandbox/options.ts';
import { alive, hookRequest, listenPeer, until, type Peer } from './helpers.ts';

// A fresh sandbox process holds some 100 MB; each hook below adds its own allocation to that.
const RETIRE_MB = 250;
const KILL_MB = 500;
const ends: ProcessEnd[] = [];
let nextEnd: ((end: ProcessEnd) => void) | undefined;
const sandbox = createSandbox(
  { poolSize: 2, memoryLimitMb: 1024, processRssRetireMb: RETIRE_MB, processRssKillMb: KILL_MB, fetch: { allowHosts: ['127.0.0.1'] } },
  { onReplaced: (end) => (ends.push(end), nextEnd?.(end)) },
);
const held: ServerResponse[] = [];
let heldArrived: (() => void) | undefined;
let peer: Peer;

beforeAll(async () => {
  peer = await listenPeer((_req, res) => (held.push(res), heldArrived?.()));
  await sandbox.ready();
});
afterAll(async () => {
  await peer.close();
  await sandbox.dispose();
});

/** Resolves with the sandbox's next replacement event. */
function replaced(): Promise<ProcessEnd> {
  return new Promise((resolve) => (nextEnd = resolve));
}

/** A hook that keeps `mb` MB of doubles (inside its heap limit), then waits for the peer's answer. */
function holding(mb: number): string {
  return `exports.handler = async () => {
    const kept = [];
    for (let i = 0; i < ${mb}; i++) kept.push(new Array(131072).fill(i + 0.5));
    const text = await (await fetch('${peer.base}/hold')).text();
    return [kept.length, text];
  };`;
}

/**
 * Starts a run that keeps 200 MB, past the retire bound: the counts and process before it, its
 * process's retirement, its request reaching the peer (held there until answered), and its result.
 */
function hoard() {
  const { recycles, crashes } = sandbox.stats();
  const oldPid = sandbox.pids()[0]!;
  const retired = replaced();
  const arrived = new Promise<void>((resolve) => (heldArrived = resolve));
  const big = sandbox.run(hookRequest(holding(200), { tenantId: 'hoarder', args: [{}], timeoutMs: 60_000 }));
  return { recycles, crashes, oldPid, retired, arrived, big };
}

describe('a sandbox process above its memory bound', () => {
  it('is retired: a fresh process takes new runs, and the run under way in the old one finishes', async () => {
    const { recycles, crashes, oldPid, retired, arrived, big } = hoard();
    const end = await retired;
    expect(end).toMatchObject({ kind: 'retired', reason: expect.stringMatching(new RegExp(`^it held \\d+ MB of memory, more than ${RETIRE_MB} MB$`)) });
    expect(sandbox.pids()[0]).not.toBe(oldPid);
    expect(alive(oldPid)).toBe(true);
    // New runs go to the fresh process at once.
    expect((await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'fresh');")))).toMatchObject({ status: 'SUCCEEDED', response: 'fresh' });
    await arrived;
    held.shift()!.end('released');
    expect(await big).toMatchObject({ status: 'SUCCEEDED', response: [200, 'released'], ended: 'RAN' });
    expect(sandbox.stats()).toMatchObject({ recycles: recycles + 1, crashes });
    // Its last run answered: the retired process is killed, and its memory returns.
    await until(() => !alive(oldPid), 'the retired process to end');
  }, 60_000);

  it('is retired, then dies by itself with a run in it: the run ends SandboxCrashed, counted as a crash', async () => {
    const { recycles, crashes, oldPid, retired, arrived, big } = hoard();
    expect(await retired).toMatchObject({ kind: 'retired' });
    await arrived;
    const died = replaced();
    process.kill(oldPid, 'SIGKILL');
    expect(await big).toMatchObject({ status: 'FAILED', ended: 'CRASHED', error: { name: 'SandboxCrashed', message: expect.stringMatching(/SIGKILL/) } });
    // Counted (and told) as the process's exit cut the run off, before its result reached the caller.
    expect(sandbox.stats()).toMatchObject({ recycles: recycles + 1, crashes: crashes + 1 });
    expect(await died).toMatchObject({ kind: 'crashed', reason: expect.stringMatching(/SIGKILL/) });
    held.shift()!.end('too late');
    expect((await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'fresh');")))).toMatchObject({ status: 'SUCCEEDED', response: 'fresh' });
  }, 60_000);

  it('is killed above the harder bound: its runs end SandboxCrashed, counted as a crash', async () => {
    const { crashes } = sandbox.stats();
    const oldPid = sandbox.pids()[0]!;
    const result = await sandbox.run(hookRequest(holding(600), { tenantId: 'glutton', args: [{}], timeoutMs: 60_000 }));
    expect(result).toMatchObject({
      status: 'FAILED',
      ended: 'CRASHED',
      error: { name: 'SandboxCrashed', message: expect.stringMatching(new RegExp(`more than ${KILL_MB} MB$`)) },
    });
    await until(() => !alive(oldPid), 'the killed process to end');
    // Passing the retire bound on its way up retires it first (then the kill is a crash of a
    // replaced process), unless one reading already saw it above the kill bound.
    expect(ends.at(-1)).toMatchObject({ kind: 'crashed', reason: expect.stringMatching(/^the sandbox process was killed: it held \d+ MB/) });
    expect(sandbox.stats().crashes).toBe(crashes + 1);
    expect(sandbox.pids()[0]).not.toBe(oldPid);
    expect((await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(null, 'after');")))).toMatchObject({ status: 'SUCCEEDED', response: 'after' });
  }, 60_000);
});

describe('the memory bounds', () => {
  it("default to the pool's own bound: a process's 256 MB and its isolates' heap limits", () => {
    // 4 isolates of 16 MB: far below half of any machine's memory, which would cap it.
    expect(resolveOptions({ maxIsolates: 4, memoryLimitMb: 16 })).toMatchObject({ processRssRetireMb: 256 + 4 * 16, processRssKillMb: 480 });
    expect(resolveOptions({ processRssRetireMb: 1_000 })).toMatchObject({ processRssRetireMb: 1_000, processRssKillMb: 1_500 });
  });

  it('refuses a bound a fresh process passes, and a kill bound below the retire bound', () => {
    expect(() => resolveOptions({ processRssRetireMb: 64 })).toThrow(new RangeError('sandbox option processRssRetireMb must be at least 128'));
    expect(() => resolveOptions({ processRssRetireMb: 300, processRssKillMb: 200 })).toThrow(new RangeError('sandbox option processRssKillMb must be at least processRssRetireMb'));
  });
});
