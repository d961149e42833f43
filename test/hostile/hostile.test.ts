/**
 * The hostile hook suite: every script in `scripts/` is created as a hook over GraphQL and run with
 * `runHook` over HTTP against one listening server with the real sandbox. Each run must end with a
 * recorded execution, the status and error its row in `cases.ts` expects and no host data in it;
 * a normal hook run right after it must still succeed; the process must survive all of it.
 *
 * fetch: the sandbox allows only the host name `localhost` (the peer below, on 127.0.0.1). Every
 * other spelling of loopback, and every private or metadata address, must be refused before a
 * connection is attempted. No test traffic leaves 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { CREATE_HOOK, listenTestApp, RUN_HOOK, EXECUTION_FIELDS, type ListeningTestApp } from '../helpers.ts';
import { CASES, type Execution, type HostileEnv } from './cases.ts';

// ─── Canaries: host data that must never show up in anything a hook produces ─────────────────
const CANARY_ENV = `canary-env-${randomUUID()}`;
const CANARY_FILE_CONTENT = `canary-file-${randomUUID()}`;
const CANARY_FILE = join(tmpdir(), `hookgate-canary-${randomUUID()}.txt`);
process.env.HOOKGATE_CANARY = CANARY_ENV;
writeFileSync(CANARY_FILE, CANARY_FILE_CONTENT);

// ─── The fetch peer, on 127.0.0.1 only ─────────────────────────────────────────────────────
const hits = new Map<string, number>();
const open = new Map<string, number>();
const peer = createServer((req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://peer.invalid');
  const path = url.pathname;
  hits.set(path, (hits.get(path) ?? 0) + 1);
  open.set(path, (open.get(path) ?? 0) + 1);
  res.on('close', () => open.set(path, open.get(path)! - 1));
  req.resume();
  switch (path) {
    case '/secret':
      // Reached only if the address guard failed.
      res.end(`peer secret ${CANARY_ENV}`);
      return;
    case '/redirect':
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      res.end();
      return;
    case '/loop':
      res.writeHead(302, { location: '/loop' });
      res.end();
      return;
    case '/slow': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/hang':
      return;
    case '/endless': {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 'e');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
      return;
    }
    default:
      res.end('ok');
  }
});

// ─── The app: the real sandbox, fetch allowed to the name `localhost` only ─────────────────
// One tenant runs every case at once: it may use both CPU slots (fairness is tested in test/sandbox/neighbours.test.ts).
const sandbox = createSandbox({ poolSize: 2, tenantCpuSlots: 2, memoryLimitMb: 64, fetch: { allowHosts: ['localhost'] } });
// Built by the composition root, as the service runs (request log, metrics, draining), lent this sandbox.
let server: ListeningTestApp;
let env: HostileEnv;
const hookIds = new Map<string, string>();
let normalHookId: string;

async function gql<T = any>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (response.status !== 200 || body.errors) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body.data;
}

async function createHook(name: string, triggerId: string, script: string, timeoutMs: number): Promise<string> {
  const data = await gql(CREATE_HOOK, { input: { name, triggerId, script, timeoutMs, enabled: false } });
  if (data.createHook.__typename !== 'CreateHookSuccess') throw new Error(JSON.stringify(data.createHook));
  return data.createHook.hook.id;
}

async function runHook(hookId: string, payload: Record<string, unknown>): Promise<Execution> {
  const data = await gql(RUN_HOOK, { input: { hookId, payload } });
  if (data.runHook.__typename !== 'RunHookSuccess') throw new Error(JSON.stringify(data.runHook));
  return data.runHook.execution;
}

async function readExecution(id: string): Promise<Execution & { status: string }> {
  const data = await gql(`query($id: ID!) { execution(id: $id) { ${EXECUTION_FIELDS()} } }`, { id });
  return data.execution;
}

function payloadFor(trigger: string, cfg: Record<string, unknown>) {
  return trigger === 'pre-user-registration'
    ? { user: { email: 'hostile@example.com', cfg }, context: {} }
    : { user: { id: 1, email: 'hostile@example.com' }, cfg };
}

/** No host data anywhere in what was recorded. */
function expectNoLeak(recorded: unknown) {
  const text = JSON.stringify(recorded);
  expect(text).not.toContain(CANARY_ENV);
  expect(text).not.toContain(CANARY_FILE_CONTENT);
  expect(text).not.toContain('peer secret');
  expect(text).not.toContain(process.cwd());
  expect(text).not.toContain('node_modules');
}

const NORMAL_SCRIPT = `exports.handler = async (context) => ({
  success: true,
  user: { policy_id: context.cfg.n },
  leftovers: [typeof globalThis.__hostileMarker, typeof ({}).__hostileMarker, typeof ({}).polluted],
});`;
let normalRuns = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  const peerPort = (peer.address() as AddressInfo).port;
  env = {
    peerBase: `http://localhost:${peerPort}`,
    peerPort,
    peerHits: (path) => hits.get(path) ?? 0,
    peerOpen: (path) => open.get(path) ?? 0,
    canaryFile: CANARY_FILE,
    canaryFileContent: CANARY_FILE_CONTENT,
  };
  server = await listenTestApp({ sandbox });
  normalHookId = await createHook('normal', 'pre-authentication', NORMAL_SCRIPT, 3_000);
  for (const row of CASES) {
    const script = readFileSync(new URL(`./scripts/${row.script}.js`, import.meta.url), 'utf8');
    hookIds.set(row.script, await createHook(row.script, row.trigger, script, row.timeoutMs));
  }
});

afterAll(async () => {
  await server?.close();
  peer.closeAllConnections();
  await new Promise((resolve) => peer.close(resolve));
  await sandbox.dispose();
  rmSync(CANARY_FILE, { force: true });
  delete process.env.HOOKGATE_CANARY;
});

describe('hostile hooks', () => {
  it('has at least 40 scripts, each with its own row', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((row) => row.script)).size).toBe(CASES.length);
  });

  for (const row of CASES) {
    it.concurrent(`${row.script} → ${row.status}`, async () => {
      const started = performance.now();
      const execution = await runHook(hookIds.get(row.script)!, payloadFor(row.trigger, row.cfg?.(env) ?? {}));
      const elapsed = performance.now() - started;

      expect({ status: execution.status, error: execution.error }).toMatchObject({ status: row.status });
      await row.check(execution, env);
      expect(elapsed).toBeLessThan(row.maxMs ?? row.timeoutMs + 3_000);
      // Recorded as it was answered, and finished.
      const recorded = await readExecution(execution.id);
      expect(recorded).toEqual(execution);
      if (row.status !== 'SUCCEEDED') expect(execution.error?.message).toBeTruthy();
      expectNoLeak(recorded);

      // A normal hook right after still runs, and sees nothing the hostile one left behind.
      const n = ++normalRuns;
      const normal = await runHook(normalHookId, { user: { id: 2 }, cfg: { n } });
      expect({ status: normal.status, error: normal.error, response: normal.response }).toEqual({
        status: 'SUCCEEDED',
        error: null,
        response: { success: true, user: { policy_id: n }, leftovers: ['undefined', 'undefined', 'undefined'] },
      });
    });
  }

  it('stored nothing of the host in any execution or log line', () => {
    const { $client } = server.db;
    const stored = [$client.prepare('select * from executions').all(), $client.prepare('select * from execution_logs').all()];
    expectNoLeak(stored);
    expect(JSON.stringify(stored)).not.toMatch(/"status":"(RUNNING|QUEUED)"/);
    expect(hits.get('/secret') ?? 0).toBe(0);
  });
});
