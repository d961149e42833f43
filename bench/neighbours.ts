/**
 * Neighbours: tenant B's trivial blocking `pre-user-registration` hook, dispatched one request at
 * a time over HTTP, alone and then beside tenant A's load: (a) 16 runs awaiting a slow peer (1.5 s
 * per response), (b) 8 runs busy on CPU until their timeout. Targets (issue 10): B's median beside
 * (a) at most 1.5× its median alone, beside (b) at most 3×.
 *
 * The service is wired as src/main.ts does it (file database, the default sandbox), in this
 * process; the peer and the HTTP clients too (they cost little beside the hooks).
 * The three conditions are measured in turn, ROUNDS times, and each one's samples pooled.
 * Env: BENCH_NEIGHBOUR_SAMPLES (default 40 per condition and round), BENCH_NEIGHBOUR_ROUNDS (3).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { openDb } from '../src/db/client.ts';
import { createSecretBox } from '../src/lib/secret-box.ts';
import { createSandbox } from '../src/sandbox/index.ts';
import { ms, percentiles } from './stats.ts';

const SAMPLES = Number(process.env.BENCH_NEIGHBOUR_SAMPLES ?? 40);
const ROUNDS = Number(process.env.BENCH_NEIGHBOUR_ROUNDS ?? 3);
const TRIVIAL = 'module.exports = function (user, context, cb) { cb(null, { user: { app_metadata: { ok: true } } }) }';
const CPU_BOUND = 'module.exports = function (user, context, cb) { for (;;) {} }';
const slowIo = (url: string) => `module.exports = function (user, context, cb) { fetch('${url}').then((r) => r.text()).then(() => cb(null, {}), cb) }`;

const DISPATCH = `mutation { dispatchTrigger(input: {triggerId: "pre-user-registration", payload: {user: {email: "b@example.com"}, context: {}}}) {
  __typename ... on DispatchTriggerSuccess { outcome } } }`;
const RUN_HOOK = `mutation($hookId: ID!) { runHook(input: {hookId: $hookId}) { __typename } }`;

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function benchNeighbours(): Promise<void> {
  // The slow peer: answers each request 1.5 s after it arrived.
  const pending = new Set<ServerResponse>();
  let peakPending = 0;
  const peer = createServer((_req, res) => {
    pending.add(res);
    peakPending = Math.max(peakPending, pending.size);
    setTimeout(() => (pending.delete(res), res.end('ok')), 1_500);
  });
  const peerUrl = await listen(peer);

  const dir = mkdtempSync(join(tmpdir(), 'hookgate-bench-neighbours-'));
  const db = openDb(join(dir, 'hookgate.db'));
  const sandbox = createSandbox({ fetch: { allowHosts: ['127.0.0.1'] } });
  const { yoga, services } = createApp({ db, secretBox: createSecretBox(randomBytes(32)), sandbox, runRateLimitPerMinute: 0 });
  const a = services.tenants.bootstrap()!;
  const aViewer = services.tokens.authenticate(a.token);
  const b = services.tenants.create(aViewer, { name: 'tenant-b' });
  const bViewer = services.tokens.authenticate(b.token);
  await services.hooks.create(bViewer, { name: 'trivial', triggerId: 'pre-user-registration', script: TRIVIAL });
  const ioHook = await services.hooks.create(aViewer, { name: 'slow-io', triggerId: 'post-user-registration', script: slowIo(peerUrl), timeoutMs: 10_000, enabled: false });
  const cpuHook = await services.hooks.create(aViewer, { name: 'busy', triggerId: 'post-user-registration', script: CPU_BOUND, timeoutMs: 2_000, enabled: false });
  const server = createServer(yoga);
  const url = `${await listen(server)}/graphql`;

  const gql = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, { __typename: string }>; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };

  /** B's dispatch latencies, one request at a time, added to `into`. */
  const sampleB = async (into: number[] = []) => {
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      const data = await gql(b.token, DISPATCH);
      into.push(performance.now() - started);
      if (data.dispatchTrigger!.__typename !== 'DispatchTriggerSuccess') throw new Error(JSON.stringify(data));
    }
    return into;
  };

  /** Tenant A keeps `count` runs of a hook in flight until stopped. */
  const loadA = (count: number, hookId: number | string) => {
    let stopped = false;
    const loops = Array.from({ length: count }, async () => {
      while (!stopped) await gql(a.token, RUN_HOOK, { hookId }).catch(() => undefined);
    });
    return async () => {
      stopped = true;
      await Promise.all(loops);
    };
  };

  const globalId = (id: string) => Buffer.from(`Hook:${id}`).toString('base64');
  await sampleB(); // warm-up
  // The three conditions in turn, ROUNDS times: a stretch of a noisy machine falls on all alike.
  const samples = { alone: [] as number[], besideIo: [] as number[], besideCpu: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    await sampleB(samples.alone);

    const stopIo = loadA(16, globalId(ioHook.id));
    // All 16 at the peer (an engine where waiting holds a slot never gets there: 3 s at most).
    for (let waited = 0; pending.size < 16 && waited < 3_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await sampleB(samples.besideIo);
    await stopIo();

    const stopCpu = loadA(8, globalId(cpuHook.id));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sampleB(samples.besideCpu);
    await stopCpu();
  }
  const alone = percentiles(samples.alone);
  const besideIo = percentiles(samples.besideIo);
  const besideCpu = percentiles(samples.besideCpu);

  const row = (name: string, p: ReturnType<typeof percentiles>, target?: number) => {
    const ratio = p.p50 / alone.p50;
    const verdict = target === undefined ? '' : `  ${ratio.toFixed(2)}× alone (target ≤ ${target}×: ${ratio <= target ? 'met' : 'MISSED'})`;
    console.log(`${name.padEnd(44)} p50 ${ms(p.p50).padStart(11)}  p99 ${ms(p.p99).padStart(11)}${verdict}`);
  };
  console.log(`tenant B's dispatchTrigger, ${SAMPLES} requests one at a time per condition, in ${ROUNDS} rounds (peer requests of A in flight at once: ${peakPending}):`);
  row('alone', alone);
  row("beside A's 16 runs awaiting a slow peer", besideIo, 1.5);
  row("beside A's 8 CPU-bound runs", besideCpu, 3);

  server.closeAllConnections();
  server.close();
  peer.closeAllConnections();
  peer.close();
  await sandbox.dispose();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
}
