/**
 * Attacks on the service as a whole (issue 11): one tenant must not crash or stall the process. Each
 * runs against one listening server while a second client measures the event loop's largest gap,
 * as the time of its own requests to /health: none may pass 200 ms.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHook, createTenant, listenTestApp } from '../helpers.ts';

const MAX_GAP_MS = 200;

let app: Awaited<ReturnType<typeof listenTestApp>>;
let server: typeof app;
let attackerToken: string;
let healthUrl: string;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => void uncaught.push(error);

beforeAll(async () => {
  server = app = await listenTestApp();
  healthUrl = server.url.replace('/graphql', '/health');
  attackerToken = await createTenant(app, 'attacker');
  process.on('uncaughtException', onUncaught);
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await server.close();
});

/**
 * Runs the attack while a second client times its requests to /health (the largest time is the
 * loop's largest gap as a client sees it), and a timer on the loop notes, for each of its gaps, the
 * CPU time the main thread spent in it. On a machine shared by many processes, a wall-clock gap can
 * also be time the process was not scheduled at all (a 213 ms hole in a CPU profile, inside a
 * trivial setImmediate): the service's stall is the work its thread did without turning the loop.
 */
async function largestGapDuring<T>(attack: () => Promise<T>): Promise<{ result: T; largestGapMs: number; largestBusyMs: number }> {
  let done = false;
  let largestGapMs = 0;
  let probes = 0;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await fetch(healthUrl);
      await response.arrayBuffer();
      largestGapMs = Math.max(largestGapMs, performance.now() - started);
      probes++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const cpuMs = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  let largestBusyMs = 0;
  let lastCpu = cpuMs();
  const ticker = setInterval(() => {
    const now = cpuMs();
    largestBusyMs = Math.max(largestBusyMs, now - lastCpu);
    lastCpu = now;
  }, 5);
  try {
    const result = await attack();
    return { result, largestGapMs, largestBusyMs };
  } finally {
    done = true;
    clearInterval(ticker);
    await probing;
    expect(probes).toBeGreaterThan(0);
  }
}

/** No stall: the thread never worked 200 ms without turning the loop, and the second client was never held for seconds. */
function expectNoStall({ largestGapMs, largestBusyMs }: { largestGapMs: number; largestBusyMs: number }) {
  console.info(`largest gap seen by the second client: ${largestGapMs.toFixed(0)} ms; largest main-thread work between two turns: ${largestBusyMs.toFixed(0)} ms`);
  expect(largestBusyMs).toBeLessThan(MAX_GAP_MS);
  expect(largestGapMs).toBeLessThan(5 * MAX_GAP_MS);
}

async function gql(query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

/** An SSE subscription whose reader stops reading at once; `resume` reads the rest of it. */
function stalledSse(query: string, token: string) {
  return new Promise<{ resume: () => Promise<string>; destroy: () => void }>((resolve, reject) => {
    const req = request(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      res.pause();
      resolve({
        destroy: () => res.destroy(),
        resume: () =>
          new Promise((done) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => done(text));
            res.resume();
          }),
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

/** A graphql-ws subscription whose socket stops being read once subscribed. */
function stalledWs(query: string, token: string) {
  return new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type !== 'connection_ack') return;
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** Reads an SSE subscription until one event matches. */
async function firstEvent(query: string, token: string, matches: (data: any) => boolean, abort: AbortSignal) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: abort,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  return async () => {
    let buffer = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffer += chunk.value;
      for (const match of buffer.matchAll(/^data: (.*)$/gm)) {
        const data = JSON.parse(match[1]!);
        if (matches(data)) return data;
      }
    }
    return null;
  };
}

const UPDATES = `subscription { executionUpdated { id status payload } }`;
const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) { __typename } }`;

describe('live events: a consumer that stops reading', () => {
  it('costs only its own subscription while another tenant pipelines 1,200 dispatchTriggers on 12 connections', async () => {
    await createHook(app, { name: 'dash', triggerId: 'pre-user-registration', script: 'module.exports = (u, c, cb) => cb(null, {})' });
    await createHook(app, { name: 'flood', triggerId: 'pre-user-registration', script: 'module.exports = (u, c, cb) => cb(null, {})' }, attackerToken);
    // The attacker's own subscribers stop reading; events of 8 KB fill their sockets (one per run:
    // each run here ends at once, written once: services/run-record.ts).
    const sse = await stalledSse(UPDATES, attackerToken);
    const ws = await stalledWs(UPDATES, attackerToken);
    try {
      // A normal dashboard of another tenant, reading.
      const abort = new AbortController();
      const dashboard = await firstEvent(`subscription { executionUpdated(filter: { status: SUCCEEDED }) { id status } }`, app.adminToken, (d) => d.data?.executionUpdated?.status === 'SUCCEEDED', abort.signal);

      const input = { triggerId: 'pre-user-registration', payload: { user: { email: 'a@b.c', blob: 'x'.repeat(8_000) }, context: {} } };
      const measured = await largestGapDuring(() =>
        Promise.all(
          Array.from({ length: 12 }, async () => {
            const statuses: number[] = [];
            for (let i = 0; i < 100; i++) statuses.push((await gql(DISPATCH, { input }, attackerToken)).status);
            return statuses;
          }),
        ),
      );
      expect(measured.result.flat()).toEqual(Array(1200).fill(200));
      expect(uncaught).toEqual([]);
      expectNoStall(measured);

      // The dashboard still gets its own tenant's events.
      const seen = dashboard();
      const ran = await gql(DISPATCH, { input: { ...input, payload: { user: { email: 'd@b.c' }, context: {} } } }, app.adminToken);
      expect(ran.status).toBe(200);
      expect((await seen)?.data.executionUpdated.status).toBe('SUCCEEDED');
      abort.abort();

      // The stalled SSE reader, once it reads again, learns why its subscription ended.
      const rest = await sse.resume();
      expect(rest).toContain('SUBSCRIPTION_OVERFLOW');
      // And so does the graphql-ws one.
      const wsEnded = new Promise<string>((resolve) => {
        ws.on('message', (data) => {
          if (String(data).includes('SUBSCRIPTION_OVERFLOW')) resolve(String(data));
        });
      });
      ws.resume();
      expect(JSON.parse(await wsEnded)).toMatchObject({ id: '1', type: expect.stringMatching(/^(error|next)$/) });
    } finally {
      ws.terminate();
      sse.destroy();
    }
  });
});

describe('query cost given by variables', () => {
  it('refuses 15 aliases of executions × logs with page sizes as variables, quickly, without stalling others', async () => {
    const field = `executions(first: $n) { edges { node { payload logs(first: $m) { edges { node { message } } } } } }`;
    const query = `query($n: Int, $m: Int) { ${Array.from({ length: 15 }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
    const measured = await largestGapDuring(() => Promise.all(Array.from({ length: 20 }, () => gql(query, { n: 100, m: 1000 }, attackerToken))));
    for (const answer of measured.result) expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expectNoStall(measured);
  });
});

describe('masking of cut lines', () => {
  it('masks 100 cut lines against 50 draft secrets of 10,000 characters without stalling others', async () => {
    const hook = await createHook(
      app,
      { name: 'cut-lines', triggerId: 'pre-user-registration', script: `module.exports = (u, c, cb) => { for (let i = 0; i < 100; i++) console.log('a'.repeat(5000)); cb(null, {}) }`, timeoutMs: 5000 },
      attackerToken,
    );
    // Each secret's start repeats itself, the worst case of trying every length of it at a cut.
    const secrets = Array.from({ length: 50 }, (_, i) => ({ name: `S${i}`, value: `${'a'.repeat(9_990)}${String(i).padStart(10, 'b')}` }));
    const RUN = `mutation($input: RunHookInput!) { runHook(input: $input) { __typename ... on RunHookSuccess { execution { status logsTruncated logs(first: 3) { edges { node { message } } } } } } }`;
    const measured = await largestGapDuring(() => gql(RUN, { input: { hookId: hook.id, secrets } }, attackerToken));
    const execution = measured.result.body.data.runHook.execution;
    expect(execution).toMatchObject({ status: 'SUCCEEDED', logsTruncated: true });
    expect(execution.logs.edges[0].node.message).toMatch(/^\[REDACTED\]… \[hookgate: line cut at \d+ bytes\]$/);
    expectNoStall(measured);
  });
});

describe('scripts that are costly to compile', () => {
  it('checks 99 KB of costly regex literals off the main thread, and a deeply nested script is a ScriptSyntaxError', async () => {
    const CREATE = `mutation($input: CreateHookInput!) { createHook(input: $input) { __typename ... on Error { message } } }`;
    const regexes = 'r = /[^\\p{L}--\\p{Lu}]/vi;\n'.repeat(3_800);
    const measured = await largestGapDuring(() =>
      Promise.all([
        gql(CREATE, { input: { name: 'regex-bomb', triggerId: 'pre-user-registration', script: regexes } }, attackerToken),
        gql(CREATE, { input: { name: 'nested', triggerId: 'pre-user-registration', script: '('.repeat(99_000) } }, attackerToken),
      ]),
    );
    const [regex, nested] = measured.result.map((answer) => answer.body.data.createHook);
    expect(['CreateHookSuccess', 'ScriptSyntaxError']).toContain(regex.__typename);
    expect(nested).toEqual({ __typename: 'ScriptSyntaxError', message: expect.stringMatching(/^The script nests too deeply to compile/) });
    expectNoStall(measured);
  });
});
