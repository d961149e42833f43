import { createClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { getTrigger } from '../../src/triggers/index.ts';
import { ADMIN_TOKEN, startTestService } from './service-helpers.ts';

const CREATE = `mutation Create($input: CreateHookInput!) { createHook(input: $input) { ... on CreateHookSuccess { hook { id } } ... on Error { message } } }`;
const RUN = `mutation RunOne($hookId: ID!) { runHook(input: { hookId: $hookId }) { ... on RunHookSuccess { execution { status } } } }`;

describe('health, readiness and metrics', async () => {
  const { origin, gql, logs } = await startTestService();

  it('answers /health with a JSON body', async () => {
    const response = await fetch(`${origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready 200 once the database takes a write and the sandbox runs a trivial hook', async () => {
    const response = await fetch(`${origin}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { draining: { ok: true }, database: { ok: true }, sandbox: { ok: true } },
    });
  });

  it('counts runs by trigger and status, their durations, HTTP requests and operations by name', async () => {
    const ok = await gql(CREATE, { input: { name: 'fine', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' } });
    const bad = await gql(CREATE, { input: { name: 'broken', triggerId: 'credentials-exchange', script: 'module.exports = function (c, s, a, ctx, cb) { cb(new Error("no")) }' } });
    for (const hookId of [ok.createHook.hook.id, ok.createHook.hook.id, bad.createHook.hook.id]) await gql(RUN, { hookId }, 'RunOne');

    const response = await fetch(`${origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('hookgate_runs_total{trigger="pre-user-registration",status="SUCCEEDED",source="RUNNER"} 2');
    expect(text).toContain('hookgate_runs_total{trigger="credentials-exchange",status="FAILED",source="RUNNER"} 1');
    expect(text).toContain('hookgate_run_duration_seconds_count{trigger="pre-user-registration"} 2');
    expect(text).toContain('hookgate_run_cpu_seconds_count{trigger="credentials-exchange"} 1');
    // Nothing waited in a queue: the Runner's runs start at once.
    expect(text).not.toContain('hookgate_queue_wait_seconds_count{trigger="pre-user-registration"}');
    expect(text).toContain('hookgate_queue_depth 0');
    expect(text).toContain('hookgate_sandbox_runs_total{status="SUCCEEDED"} 2');
    expect(text).toContain('hookgate_sandbox_runs_active 0');
    expect(text).toContain('hookgate_graphql_operations_total{operation="RunOne",type="mutation",result="ok"} 3');
    expect(text).toContain('hookgate_graphql_operations_total{operation="Create",type="mutation",result="ok"} 2');
    expect(text).toMatch(/hookgate_graphql_operation_duration_seconds_count\{operation="RunOne",type="mutation"\} 3/);
    expect(text).toMatch(/hookgate_http_requests_total\{method="POST",route="\/graphql",status="200"\} 5/);
    expect(text).toMatch(/hookgate_http_request_duration_seconds_count\{route="\/graphql"\} 5/);
    expect(text).toContain('hookgate_process_resident_memory_bytes');
  });

  it('times the wait of async runs in the queue, and only theirs', async () => {
    await gql(CREATE, { input: { name: 'later', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { cb() }' } });
    await gql(CREATE, { input: { name: 'now', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' } });
    const dispatch = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) { ... on DispatchTriggerSuccess { outcome } } }`;
    for (const triggerId of ['post-user-registration', 'pre-user-registration']) {
      await gql(dispatch, { input: { triggerId, payload: getTrigger(triggerId)!.samplePayload } });
    }
    // The async run ends after its dispatch answered.
    let text = '';
    while (!(text = await (await fetch(`${origin}/metrics`)).text()).includes('hookgate_runs_total{trigger="post-user-registration"')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(text).toContain('hookgate_queue_wait_seconds_count{trigger="post-user-registration"} 1');
    expect(text).not.toContain('hookgate_queue_wait_seconds_count{trigger="pre-user-registration"}');
    expect(text).toContain('hookgate_runs_total{trigger="pre-user-registration",status="SUCCEEDED",source="DISPATCH"} 1');
  });

  it('logs one line per request with its id, operation name, status and duration, and echoes the id', async () => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-42', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: 'query Who { viewer { scopes } }', operationName: 'Who' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    const line = logs.lines.find((entry) => entry.reqId === 'req-42');
    expect(line).toMatchObject({ msg: 'request', method: 'POST', path: '/graphql', operation: 'Who', status: 200 });
    expect(typeof line!.durationMs).toBe('number');
    const generated = logs.lines.filter((entry) => entry.msg === 'request' && entry.path === '/health');
    expect(generated[0]!.reqId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs the operation by the name its document gives it when the request does not name it', async () => {
    const post = (id: string, body: Record<string, unknown>) =>
      fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id, authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify(body),
      });
    await post('unnamed-run', { query: `mutation Run($id: ID!) { runHook(input: { hookId: $id }) { __typename } }`, variables: { id: 'SG9vazpub25l' } });
    await fetch(`${origin}/graphql?query=${encodeURIComponent('query Who2 { viewer { scopes } }')}`, { headers: { 'x-request-id': 'unnamed-get', authorization: `Bearer ${ADMIN_TOKEN}` } });
    await post('two-named', { query: 'query A { viewer { scopes } } query B { triggers { id } }', operationName: 'B' });
    await post('anonymous', { query: '{ viewer { scopes } }' });
    const operationOf = (id: string) => logs.lines.find((entry) => entry.reqId === id)?.operation;
    expect(['unnamed-run', 'unnamed-get', 'two-named', 'anonymous'].map(operationOf)).toEqual(['Run', 'Who2', 'B', null]);
  });

  it('logs and counts the vendor REST APIs and the console as every other request', async () => {
    const rest = await fetch(`${origin}/api/v2/hooks`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': 'rest-7' } });
    expect(rest.status).toBe(200);
    expect(rest.headers.get('x-request-id')).toBe('rest-7');
    expect(logs.lines.find((entry) => entry.reqId === 'rest-7')).toMatchObject({ msg: 'request', method: 'GET', path: '/api/v2/hooks', status: 200 });
    const onelogin = await fetch(`${origin}/api/2/hooks`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': 'rest-8' } });
    expect(logs.lines.find((entry) => entry.reqId === 'rest-8')).toMatchObject({ path: '/api/2/hooks', status: onelogin.status });
    const page = await fetch(`${origin}/console/`, { headers: { 'x-request-id': 'console-9' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-request-id')).toBe('console-9');
    expect(logs.lines.find((entry) => entry.reqId === 'console-9')).toMatchObject({ path: '/console/', status: 200 });

    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(text).toContain('hookgate_http_requests_total{method="GET",route="/api/v2/*",status="200"} 1');
    expect(text).toContain(`hookgate_http_requests_total{method="GET",route="/api/2/*",status="${onelogin.status}"} 1`);
    expect(text).toContain('hookgate_http_requests_total{method="GET",route="/console/*",status="200"} 1');
  });

  it('logs one line per operation over graphql-ws', async () => {
    const client = createClient({ url: `${origin.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${ADMIN_TOKEN}` }, retryAttempts: 0 });
    try {
      const result = await new Promise((resolve, reject) =>
        client.subscribe({ query: 'query OverWs { viewer { scopes } }', operationName: 'OverWs' }, { next: resolve, error: reject, complete: () => {} }),
      );
      expect(result).toMatchObject({ data: { viewer: { scopes: expect.any(Array) } } });
    } finally {
      await client.dispose();
    }
    expect(logs.lines.find((line) => line.transport === 'graphql-ws')).toMatchObject({ msg: 'operation', operation: 'OverWs', type: 'query', errors: 0, durationMs: expect.any(Number) });
  });

  it('logs an operation over graphql-ws refused for its document, without the messages that quote it', async () => {
    const client = createClient({ url: `${origin.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${ADMIN_TOKEN}` }, retryAttempts: 0 });
    const refused = (query: string, operationName: string) =>
      new Promise<unknown>((resolve) => client.subscribe({ query, operationName }, { next: resolve, error: resolve, complete: () => {} }));
    try {
      await refused('query Broken { viewer {', 'Broken');
      await refused('query Unknown { hook(id: "s3cr3t-literal") { nope } }', 'Unknown');
      // Again: yoga's cache answers the second time, and the line is written all the same.
      await refused('query Unknown { hook(id: "s3cr3t-literal") { nope } }', 'Unknown');
    } finally {
      await client.dispose();
    }
    const lines = logs.lines.filter((line) => line.msg === 'operation refused');
    expect(lines).toEqual([
      expect.objectContaining({ transport: 'graphql-ws', operation: 'Broken', code: 'GRAPHQL_PARSE_FAILED', errors: 1 }),
      expect.objectContaining({ transport: 'graphql-ws', operation: 'Unknown', code: 'GRAPHQL_VALIDATION_FAILED', errors: expect.any(Number) }),
      expect.objectContaining({ transport: 'graphql-ws', operation: 'Unknown', code: 'GRAPHQL_VALIDATION_FAILED', errors: expect.any(Number) }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cr3t-literal');
  });

  it('logs the service events with fields', () => {
    expect(logs.lines.find((entry) => entry.event === 'listening')).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/) });
    expect(logs.lines.find((entry) => entry.event === 'tenant-bootstrapped')).toMatchObject({ tenant: 'default', tokenFrom: 'HOOKGATE_BOOTSTRAP_TOKEN' });
  });
});

describe('metrics on a port of their own, behind a token', async () => {
  const METRICS_TOKEN = 'metrics-token-0123456789';
  const { origin, started } = await startTestService({ HOOKGATE_METRICS_PORT: '0', HOOKGATE_METRICS_TOKEN: METRICS_TOKEN });

  it('serves /metrics only there, and only with the token', async () => {
    expect(started.metricsUrl).not.toContain(origin);
    expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    const refused = await fetch(started.metricsUrl);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain('hookgate_');
    expect((await fetch(started.metricsUrl, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const allowed = await fetch(started.metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('hookgate_http_requests_total');
  });
});
