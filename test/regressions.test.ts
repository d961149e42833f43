/** Defects found in review, each pinned by the behaviour that was wrong. */
import { describe, expect, it } from 'vitest';
import { createHook, createTenant, createTestApp, RUN_HOOK, runHook } from './helpers.ts';

const CACHING_DRAFT = `var cached;
module.exports = function (user, context, cb) {
  cached = cached || context.webtask.secrets.KEY;
  cb(null, { user: { app_metadata: { seen: cached } } });
};`;

describe('review regressions', () => {
  it('never shares a draft’s module state between tenants running the same text', async () => {
    const app = createTestApp();
    const other = await createTenant(app, 'other');
    const SCRIPT = 'module.exports = function (u, c, cb) { cb(null, {}) }';
    const mine = await createHook(app, { name: 'a', triggerId: 'pre-user-registration', script: SCRIPT });
    const theirs = await createHook(app, { name: 'b', triggerId: 'pre-user-registration', script: SCRIPT }, other);
    await runHook(app, { hookId: mine.id, script: CACHING_DRAFT, secrets: [{ name: 'KEY', value: 'tenant-a-secret-key' }] });
    const leaked = await runHook(app, { hookId: theirs.id, script: CACHING_DRAFT, secrets: [{ name: 'KEY', value: 'tenant-b-key-value' }] }, other);
    expect(JSON.stringify(leaked)).not.toContain('tenant-a-secret-key');
  });

  it('masks secret values in contract warnings', async () => {
    const app = createTestApp();
    const hook = await createHook(app, {
      name: 'claims',
      triggerId: 'credentials-exchange',
      script: 'module.exports = function (client, scope, audience, context, cb) { var t = {}; t[context.webtask.secrets.K] = 1; cb(null, t) }',
    });
    await app.ok(`mutation($id: ID!) { setHookSecrets(input: {hookId: $id, secrets: [{name: "K", value: "sk_live_warning_secret"}]}) { __typename } }`, { id: hook.id });
    const execution = await runHook(app, { hookId: hook.id });
    expect(execution.warnings.length).toBeGreaterThan(0);
    expect(JSON.stringify(execution)).not.toContain('sk_live_warning_secret');
    const dispatched = await app.ok(`mutation { dispatchTrigger(input: {triggerId: "credentials-exchange", payload: {client: {}, scope: [], audience: "a", context: {}}}) { ... on DispatchTriggerSuccess { warnings { path reason } } } }`);
    expect(JSON.stringify(dispatched)).not.toContain('sk_live_warning_secret');
  });

  it('answers NotFoundError when the hook is deleted while it runs, and keeps other subscribers alive', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'slow', triggerId: 'post-user-registration', timeoutMs: 10_000, script: 'module.exports = function (u, c, cb) { console.log("start"); setTimeout(function () { console.log("end"); cb(null, {}) }, 2000) }' });
    const running = app.ok(RUN_HOOK, { input: { hookId: hook.id } });
    // Delete it once the run has started and logged its first line (it then waits 2 s).
    const started = async () => {
      const data = await app.ok(`query($id: ID!) { executions(first: 1, filter: {hookId: $id}) { edges { node { status logs(first: 1) { edges { node { message } } } } } } }`, { id: hook.id });
      const node = data.executions.edges[0]?.node;
      return node?.status === 'RUNNING' && node.logs.edges.length === 1;
    };
    while (!(await started())) await new Promise((resolve) => setTimeout(resolve, 20));
    await app.ok(`mutation($id: ID!) { deleteHook(input: {id: $id}) { __typename } }`, { id: hook.id });
    expect((await running).runHook.__typename).toBe('NotFoundError');
    // The service goes on: a new hook runs normally.
    const next = await createHook(app, { name: 'next', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' });
    expect((await runHook(app, { hookId: next.id })).status).toBe('SUCCEEDED');
  });

  it('needs update:hooks to run a draft script, which sees the hook’s secrets', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' });
    const { createApiToken } = await app.ok(`mutation { createApiToken(input: {name: "pipeline", scopes: [RUN_HOOKS]}) { ... on CreateApiTokenSuccess { token } } }`);
    const RUN = `mutation($input: RunHookInput!) { runHook(input: $input) { ... on RunHookSuccess { execution { status } } } }`;
    expect((await app.ok(RUN, { input: { hookId: hook.id } }, createApiToken.token)).runHook.execution.status).toBe('SUCCEEDED');
    const draft = await app.gql(RUN, { input: { hookId: hook.id, script: 'module.exports = function (u, c, cb) { cb(null, c.webtask.secrets) }' } }, createApiToken.token);
    expect(draft.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('update:hooks') });
  });

  it('refuses a payload nested too deep with a typed error', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) deep = { a: deep };
    const result = await app.ok(RUN_HOOK, { input: { hookId: hook.id, payload: deep } });
    expect(result.runHook).toMatchObject({ __typename: 'ValidationError', message: expect.stringContaining('levels deep') });
  });

  it('pages API tokens forward with after', async () => {
    const app = createTestApp();
    for (let i = 0; i < 4; i++) await app.ok(`mutation { createApiToken(input: {name: "t${i}", scopes: [READ_HOOKS]}) { __typename } }`);
    const PAGE = `query($after: String) { apiTokens(first: 2, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const data: any = await app.ok(PAGE, { after });
      names.push(...data.apiTokens.edges.map((e: any) => e.node.name));
      if (!data.apiTokens.pageInfo.hasNextPage) break;
      after = data.apiTokens.pageInfo.endCursor;
    }
    expect(names).toEqual(['t3', 't2', 't1', 't0', 'admin']);
  });

  it('keeps queued and running executions out of the retention sweep', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' });
    await runHook(app, { hookId: hook.id });
    await runHook(app, { hookId: hook.id });
    app.db.$client.prepare(`update executions set created_at = 0`).run();
    app.db.$client.prepare(`update executions set status = 'QUEUED' where rowid = (select min(rowid) from executions)`).run();
    expect(await app.services.retention.sweep({ maxAgeMs: 1000 })).toBe(1);
    expect(app.db.$client.prepare(`select status from executions`).all()).toEqual([{ status: 'QUEUED' }]);
  });

  it('answers BAD_USER_INPUT for a node id of a type that has no nodes, and refuses inherited option names', async () => {
    const app = createTestApp();
    const result = await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from('Nope:1').toString('base64') });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const created = await app.ok(`mutation { createHook(input: {name: "o", triggerId: "pre-authentication", script: "exports.handler = async () => ({})", options: {toString: true}}) { __typename ... on ValidationError { field } } }`);
    expect(created.createHook).toEqual({ __typename: 'ValidationError', field: 'input.options.toString' });
  });
});

describe('count limits', () => {
  it('caps hooks per tenant and active tokens per tenant, and pages hook versions', async () => {
    const app = createTestApp();
    const SCRIPT = 'module.exports = function (u, c, cb) { cb(null, {}) }';
    for (let i = 0; i < 200; i++) await createHook(app, { name: `h${i}`, triggerId: 'post-user-registration', script: SCRIPT, enabled: false });
    const over = await app.ok(`mutation($s: String!) { createHook(input: {name: "one-more", triggerId: "post-user-registration", script: $s}) { __typename ... on LimitExceededError { limit } } }`, { s: SCRIPT });
    expect(over.createHook).toEqual({ __typename: 'LimitExceededError', limit: 200 });

    const CREATE = `mutation { createApiToken(input: {name: "t", scopes: [READ_HOOKS]}) { __typename ... on LimitExceededError { limit message } } }`;
    for (let i = 0; i < 99; i++) expect((await app.ok(CREATE)).createApiToken.__typename).toBe('CreateApiTokenSuccess');
    expect((await app.ok(CREATE)).createApiToken).toMatchObject({ __typename: 'LimitExceededError', limit: 100, message: expect.stringContaining('revoke') });

    const hook = await app.ok(`{ hooks(first: 1) { edges { node { id } } } }`);
    const id = hook.hooks.edges[0].node.id;
    for (let v = 2; v <= 4; v++) {
      await app.ok(`mutation($id: ID!, $s: String!) { updateHook(input: {id: $id, script: $s}) { __typename } }`, { id, s: `${SCRIPT} // v${v}` });
    }
    const versions = await app.ok(`query($id: ID!) { hook(id: $id) { all: versions { version } two: versions(first: 2) { version } } }`, { id });
    expect(versions.hook.all.map((v: any) => v.version)).toEqual([4, 3, 2, 1]);
    expect(versions.hook.two.map((v: any) => v.version)).toEqual([4, 3]);
  });
});
