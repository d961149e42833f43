import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnService } from './spawned-service.ts';

const TOKEN = 'hg_graceful_stop_token_0123456789';
const SECRET = 'hook-secret-value-7f3a9c';
const ENV_VALUE = 'env-var-value-2b8d41';
const PASSWORD = 'user-password-9e1c55';
const dir = mkdtempSync(join(tmpdir(), 'hookgate-stop-'));
const dbPath = join(dir, 'hookgate.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const service = await spawnService({
  PORT: '0',
  HOST: '127.0.0.1',
  HOOKGATE_DB: dbPath,
  HOOKGATE_BOOTSTRAP_TOKEN: TOKEN,
  HOOKGATE_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
  HOOKGATE_SANDBOX_POOL_SIZE: '3',
  HOOKGATE_SHUTDOWN_TIMEOUT_MS: '4000',
  LOG_LEVEL: 'debug',
});
afterAll(() => service.child.kill('SIGKILL'));

async function post(query: string, variables: Record<string, unknown> = {}, token = TOKEN) {
  const response = await fetch(`${service.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

async function gql(query: string, variables: Record<string, unknown> = {}, token = TOKEN) {
  const { body } = await post(query, variables, token);
  if (body.errors) throw new Error(`${query}\n${JSON.stringify(body.errors)}`);
  return body.data;
}

async function createHook(input: Record<string, unknown>): Promise<string> {
  const data = await gql(`mutation($input: CreateHookInput!) { createHook(input: $input) { ... on CreateHookSuccess { hook { id } } ... on Error { message } } }`, { input });
  if (!data.createHook.hook) throw new Error(JSON.stringify(data));
  return data.createHook.hook.id;
}

/** Polls until `check` holds; fails with `what` instead of hanging. */
async function until(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const RUN = `mutation($hookId: ID!, $payload: JSONObject) { runHook(input: {hookId: $hookId, payload: $payload}) { ... on RunHookSuccess { execution { id status error { name } } } } }`;

describe('a full run of the service', () => {
  it('handles secrets, env vars, passwords and tokens', async () => {
    await gql(`mutation { setEnvVar(input: {name: "API_KEY", value: "${ENV_VALUE}"}) { __typename } }`);
    const hookId = await createHook({
      name: 'leaky',
      triggerId: 'pre-user-registration',
      envVarNames: ['API_KEY'],
      script: `module.exports = function (user, context, cb) {
        console.log('secret', context.webtask.secrets.SIGNING_KEY, 'env', process.env.API_KEY, 'password', user.password);
        cb(new Error('failed with ' + context.webtask.secrets.SIGNING_KEY));
      }`,
    });
    await gql(`mutation($hookId: ID!) { setHookSecrets(input: {hookId: $hookId, secrets: [{name: "SIGNING_KEY", value: "${SECRET}"}]}) { __typename } }`, { hookId });
    const run = await gql(RUN, { hookId, payload: { user: { email: 'a@b.c', password: PASSWORD }, context: {} } });
    expect(run.runHook.execution.status).toBe('FAILED');
    const created = await gql(`mutation { createApiToken(input: {name: "ci", scopes: [READ_HOOKS]}) { ... on CreateApiTokenSuccess { token } } }`);
    const newToken = created.createApiToken.token as string;
    expect((await gql(`{ viewer { scopes } }`, {}, newToken)).viewer.scopes).toEqual(['read:hooks']);
    expect((await post(`{ viewer { scopes } }`, {}, 'hg_not_a_real_token_0123456789')).status).toBe(401);
    process.env.GRACEFUL_TEST_NEW_TOKEN = newToken;
  });
});

describe('graceful stop', () => {
  it('turns /ready 503, refuses new runs, lets runs in flight finish, records the rest interrupted and exits 0', async () => {
    const quick = await createHook({ name: 'quick', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { setTimeout(function () { cb(null, {}) }, 1000) }' });
    const stuck = await createHook({ name: 'stuck', triggerId: 'credentials-exchange', timeoutMs: 20000, script: 'module.exports = function (cl, s, a, c, cb) { setTimeout(function () { cb(null, {}) }, 60000) }' });
    const quickRun = gql(RUN, { hookId: quick });
    const stuckRun = post(RUN, { hookId: stuck });
    // Both runs are in the sandbox before the stop begins.
    await until('both runs RUNNING', async () => {
      const data = await gql(`{ executions(first: 10, filter: {status: RUNNING}) { edges { node { id } } } }`);
      return data.executions.edges.length === 2;
    });
    expect((await fetch(`${service.origin}/ready`)).status).toBe(200);
    // Async runs: those the queue has started finish, the others stay queued for the next start.
    await createHook({ name: 'later', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { setTimeout(function () { cb() }, 100) }' });
    const dispatched = await gql(`mutation { dispatchTrigger(input: {triggerId: "post-user-registration", payload: {user: {id: "u1"}, context: {}}}) { __typename } }`);
    expect(dispatched.dispatchTrigger.__typename).toBe('DispatchTriggerSuccess');
    for (let i = 0; i < 7; i++) await gql(`mutation { dispatchTrigger(input: {triggerId: "post-user-registration", payload: {user: {id: "u1"}, context: {}}}) { __typename } }`);

    service.child.kill('SIGTERM');
    let readiness: unknown;
    await until('/ready 503', async () => {
      const ready = await fetch(`${service.origin}/ready`);
      readiness = await ready.json();
      return ready.status === 503;
    });
    expect(readiness).toMatchObject({ status: 'unavailable', checks: { draining: { ok: false } } });
    const refused = await post(RUN, { hookId: quick });
    expect(refused.status).toBe(503);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    // The vendors' REST APIs and the console are refused too: no write succeeds once the stop began.
    const restWrite = await fetch(`${service.origin}/api/v2/hooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ name: 'during-stop', triggerId: 'post-change-password', script: 'module.exports = function (u, c, cb) { cb() }' }),
    });
    expect(restWrite.status).toBe(503);
    expect(await restWrite.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect((await fetch(`${service.origin}/console/`)).status).toBe(503);

    expect((await quickRun).runHook.execution.status).toBe('SUCCEEDED');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    // Still running at the deadline: answered as interrupted before the connection closed.
    expect(await stuckRun).toMatchObject({ status: 200, body: { data: { runHook: { execution: { status: 'FAILED', error: { name: 'Interrupted' } } } } } });

    const db = new Database(dbPath, { readonly: true });
    try {
      const rows = db.prepare(`select h.name, e.status, json_extract(e.error, '$.name') as error from executions e join hooks h on h.id = e.hook_id where h.name in ('quick', 'stuck') order by h.name`).all();
      expect(rows).toEqual([
        { name: 'quick', status: 'SUCCEEDED', error: null },
        { name: 'stuck', status: 'FAILED', error: 'Interrupted' },
      ]);
      expect(db.prepare(`select count(*) as n from hooks where name = 'during-stop'`).get()).toEqual({ n: 0 });
      const later = db.prepare(`select e.status from executions e join hooks h on h.id = e.hook_id where h.name = 'later'`).all() as { status: string }[];
      expect(later).toHaveLength(8);
      expect(later.filter((row) => !['SUCCEEDED', 'QUEUED'].includes(row.status))).toEqual([]);
    } finally {
      db.close();
    }
    const events = service.lines().map((line) => line.event).filter(Boolean);
    expect(events).toEqual(expect.arrayContaining(['stopping', 'runs-interrupted', 'stopped']));
    expect(service.lines().find((line) => line.event === 'runs-interrupted')).toMatchObject({ interrupted: 1 });
  }, 60_000);

  it('never wrote a secret, env var value, password or token into its log', () => {
    const log = service.output();
    expect(log).toContain('"msg":"request"');
    for (const value of [SECRET, ENV_VALUE, PASSWORD, TOKEN, process.env.GRACEFUL_TEST_NEW_TOKEN!, 'hg_not_a_real_token_0123456789']) {
      expect(value.length).toBeGreaterThan(10);
      expect(log).not.toContain(value);
    }
  });
});
