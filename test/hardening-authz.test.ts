/** Issue 11, items 9 and 11: what a pipeline token may read and send, and cursors that are not cursors. */
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp, type TestApp } from './helpers.ts';

async function pipelineToken(app: TestApp) {
  const { createApiToken } = await app.ok(`mutation { createApiToken(input: {name: "pipeline", scopes: [RUN_HOOKS]}) { ... on CreateApiTokenSuccess { token } } }`);
  return createApiToken.token as string;
}

const SECRETS_TO = `module.exports = function (u, c, cb) { cb(null, { user: { app_metadata: { to: c.webtask.secrets.API_URL } } }) }`;

describe('a pipeline token (run:hooks only)', () => {
  it('may not pass draft secrets, which override the stored ones the saved script sends', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: SECRETS_TO });
    await app.ok(`mutation($input: SetHookSecretsInput!) { setHookSecrets(input: $input) { __typename } }`, {
      input: { hookId: hook.id, secrets: [{ name: 'API_URL', value: 'https://api.example.com' }, { name: 'API_KEY', value: 'stored-key-1' }] },
    });
    const token = await pipelineToken(app);
    const RUN = `mutation($input: RunHookInput!) { runHook(input: $input) { __typename ... on RunHookSuccess { execution { status } } } }`;
    const draft = await app.gql(RUN, { input: { hookId: hook.id, secrets: [{ name: 'API_URL', value: 'https://attacker.example' }] } }, token);
    expect(draft.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('update:hooks') });
    // Without draft secrets it runs, and with update:hooks the draft secrets are allowed.
    expect((await app.ok(RUN, { input: { hookId: hook.id } }, token)).runHook.execution.status).toBe('SUCCEEDED');
    expect((await app.ok(RUN, { input: { hookId: hook.id, secrets: [{ name: 'API_URL', value: 'https://staging.example' }] } })).runHook.__typename).toBe('RunHookSuccess');
  });

  it('reads a run’s record by one rule: not nested in dispatchTrigger or runHook answers, as not by execution(id)', async () => {
    const app = createTestApp();
    await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: `module.exports = function (u, c, cb) { console.log('user', u.email); cb(null, {}) }` });
    const token = await pipelineToken(app);
    const DISPATCH = `mutation { dispatchTrigger(input: { triggerId: "pre-user-registration", payload: { user: { email: "a@b.c" }, context: {} } }) {
      ... on DispatchTriggerSuccess { outcome executions { id status %s } } } }`;
    const outcome = await app.ok(DISPATCH.replace('%s', ''), {}, token);
    expect(outcome.dispatchTrigger).toMatchObject({ outcome: 'ALLOW', executions: [{ status: 'SUCCEEDED' }] });
    const executionId = outcome.dispatchTrigger.executions[0].id;

    const direct = await app.gql(`query($id: ID!) { execution(id: $id) { id } }`, { id: executionId }, token);
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const field of ['logs { edges { node { message } } }', 'payload', 'response', 'effectiveResponse', 'warnings { path }', 'error { message }']) {
      const nested = await app.gql(DISPATCH.replace('%s', field), {}, token);
      expect(nested.errors?.[0]?.extensions?.code, field).toBe('FORBIDDEN');
      expect(JSON.stringify(nested.data), field).not.toContain('a@b.c');
    }
    // The admin token reads it all, nested or not.
    const admin = await app.ok(DISPATCH.replace('%s', 'logs { edges { node { message } } }'));
    expect(admin.dispatchTrigger.executions[0].logs.edges[0].node.message).toBe('user a@b.c');
  });
});

describe('a refused part of a run’s record is null with its error; the rest of the answer stays', () => {
  const SCRIPT = `module.exports = function (u, c, cb) { console.log('user', u.email); cb(null, {}) }`;

  it('dispatchTrigger and runHook with a pipeline token keep the outcome and execution ids whatever record fields are asked', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: SCRIPT });
    const token = await pipelineToken(app);
    const DISPATCH = `mutation { dispatchTrigger(input: { triggerId: "pre-user-registration", payload: { user: { email: "a@b.c" }, context: {} } }) {
      ... on DispatchTriggerSuccess { outcome executionIds executions { id status %s } } } }`;
    const RUN = `mutation($id: ID!) { runHook(input: { hookId: $id }) { ... on RunHookSuccess { execution { id status %s } } } }`;
    for (const [field, key] of [['logs { edges { node { message } } }', 'logs'], ['warnings { path }', 'warnings'], ['payload', 'payload']] as const) {
      const dispatched = await app.gql(DISPATCH.replace('%s', field), {}, token);
      expect(dispatched.errors?.map((e) => e.extensions?.code), field).toEqual(['FORBIDDEN']);
      expect(dispatched.errors?.[0]?.path, field).toEqual(['dispatchTrigger', 'executions', 0, key]);
      const answer = dispatched.data?.dispatchTrigger;
      expect(answer, field).toMatchObject({ outcome: 'ALLOW', executions: [{ status: 'SUCCEEDED', [key]: null }] });
      expect(answer.executionIds).toEqual([answer.executions[0].id]);

      const ran = await app.gql(RUN.replace('%s', field), { id: hook.id }, token);
      expect(ran.errors?.map((e) => e.extensions?.code), field).toEqual(['FORBIDDEN']);
      expect(ran.data?.runHook.execution, field).toMatchObject({ id: expect.any(String), status: 'SUCCEEDED', [key]: null });
      expect(JSON.stringify([dispatched.data, ran.data]), field).not.toContain('a@b.c');
    }
  });

  it('executions with a read:executions token: every run listed, `hook` alone null without read:hooks', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: SCRIPT });
    await app.ok(`mutation($id: ID!) { runHook(input: { hookId: $id }) { __typename } }`, { id: hook.id });
    const { createApiToken } = await app.ok(`mutation { createApiToken(input: {name: "logs", scopes: [READ_EXECUTIONS]}) { ... on CreateApiTokenSuccess { token } } }`);
    const LIST = `{ executions(first: 5) { edges { node { id status logs { edges { node { message } } } hook { name } } } } }`;
    const viewer = await app.gql(LIST, {}, createApiToken.token);
    expect(viewer.errors?.map((e) => [e.extensions?.code, e.path?.at(-1)])).toEqual([['FORBIDDEN', 'hook']]);
    expect(viewer.data?.executions.edges).toEqual([
      { node: { id: expect.any(String), status: 'SUCCEEDED', logs: { edges: [{ node: { message: expect.stringMatching(/^user /) } }] }, hook: null } },
    ]);
    expect((await app.ok(LIST)).executions.edges[0].node.hook).toEqual({ name: 'h' });
  });
});

describe('cursors (issue 11, item 11)', () => {
  it('refuses an after or before that is not a cursor of the list, instead of answering a first page', async () => {
    const app = createTestApp();
    await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: `module.exports = function (u, c, cb) { cb(null, {}) }` });
    for (const query of [
      `{ hooks(after: "garbage") { edges { cursor } pageInfo { hasPreviousPage } } }`,
      `{ executions(before: "garbage") { edges { cursor } } }`,
      `{ apiTokens(after: "garbage") { edges { cursor } } }`,
      `{ hooks(first: 1) { edges { node { executions(after: "1") { edges { cursor } } } } } }`,
    ]) {
      const result = await app.gql(query);
      expect(result.errors?.[0], query).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/not a cursor of this list/) });
    }
    const { hooks } = await app.ok(`{ hooks(first: 1) { edges { cursor } } }`);
    expect((await app.ok(`query($c: String) { hooks(after: $c) { edges { cursor } } }`, { c: hooks.edges[0].cursor })).hooks.edges).toEqual([]);
  });

  it('takes only seq numbers as cursors of log lines', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: `module.exports = function (u, c, cb) { console.log(1); console.log(2); cb(null, {}) }` });
    const { runHook } = await app.ok(`mutation($id: ID!) { runHook(input: { hookId: $id }) { ... on RunHookSuccess { execution { id } } } }`, { id: hook.id });
    const LOGS = `query($id: ID!, $after: String) { execution(id: $id) { logs(after: $after) { edges { node { message } } } } }`;
    const bad = await app.gql(LOGS, { id: runHook.execution.id, after: 'garbage' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const next = await app.ok(LOGS, { id: runHook.execution.id, after: '1' });
    expect(next.execution.logs.edges.map((e: { node: { message: string } }) => e.node.message)).toEqual(['2']);
  });
});
