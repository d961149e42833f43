/**
 * One tenant never slows another: runs awaiting I/O hold no CPU slot, and a tenant busy on CPU
 * holds at most its share. The waits are on events (a peer that answers once every request has
 * arrived, log lines as they are written), never on timing against CPU work.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import type { LogLine } from '../../src/sandbox/types.ts';
import { hookRequest, listenPeer, type Peer } from './helpers.ts';

const sandbox = createSandbox({ poolSize: 2, fetch: { allowHosts: ['127.0.0.1'] } });
let held: ServerResponse[] = [];
let releaseAt = Infinity;
let peak = 0;
let peer: Peer;

beforeAll(async () => {
  peer = await listenPeer((_req, res) => {
    held.push(res);
    peak = Math.max(peak, held.length);
    // Answers nobody until `releaseAt` requests wait at once: only interleaved runs get there.
    if (held.length >= releaseAt) {
      for (const waiting of held) waiting.end('ok');
      held = [];
    }
  });
  await sandbox.ready();
});
afterAll(async () => {
  await peer.close();
  await sandbox.dispose();
});

describe('runs awaiting I/O', () => {
  it('hold no slot: 200 runs of one hook wait on the same peer at once, then all end', async () => {
    releaseAt = 200;
    const script = `exports.handler = async () => (await fetch('${peer.base}/slow')).text();`;
    const runs = Array.from({ length: 200 }, () => sandbox.run(hookRequest(script, { tenantId: 'io-tenant', args: [{}], timeoutMs: 60_000 })));
    const results = await Promise.all(runs);
    expect(results.map((result) => result.status)).toEqual(Array(200).fill('SUCCEEDED'));
    expect(results.every((result) => result.response === 'ok')).toBe(true);
    expect(peak).toBe(200);
  }, 90_000);
});

describe('a tenant busy on CPU', () => {
  it("holds at most its share of the slots: another tenant's runs go through while its loops run", async () => {
    const started: LogLine[] = [];
    let firstLoopEnded = false;
    // Tenant A: more CPU-bound runs than there are slots; each says when it starts looping.
    const loops = Array.from({ length: 4 }, (_, n) =>
      sandbox
        .run(hookRequest(`module.exports = () => { console.log('looping ${n}'); for (;;) {} };`, { tenantId: 'cpu-tenant', timeoutMs: 3_000, onLog: (line) => started.push(line) }))
        .then((result) => ((firstLoopEnded = true), result)),
    );
    while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // Tenant B, while A loops: every run ends long before any of A's loops reaches its timeout.
    for (let i = 0; i < 5; i++) {
      const result = await sandbox.run(hookRequest(`module.exports = (u, c, cb) => cb(null, ${i});`, { tenantId: 'quiet-tenant' }));
      expect(result).toMatchObject({ status: 'SUCCEEDED', response: i });
    }
    expect(firstLoopEnded).toBe(false);
    // A's loops took turns on one slot: never two at once.
    expect(started.length).toBe(1);
    const results = await Promise.all(loops);
    expect(results.map((result) => result.status)).toEqual(Array(4).fill('TIMED_OUT'));
  }, 90_000);
});
