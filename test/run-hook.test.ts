import { decodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { createHook, createTenant, createTestApp, EXECUTION_FIELDS, logMessages, RUN_HOOK, runHook, sample } from './helpers.ts';

const SAMPLE_PAYLOAD = JSON.parse(sample('payload-pre-user-registration.json'));

describe('runHook (the Runner)', () => {
  it('runs the Auth0 metadata sample on the trigger’s sample payload with the documented result', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'metadata', triggerId: 'pre-user-registration', script: sample('auth0-pre-user-registration-metadata.js') });
    const execution = await runHook(app, { hookId: hook.id });
    expect(execution).toMatchObject({ status: 'SUCCEEDED', source: 'RUNNER', outcome: 'ALLOW', attempts: 1, hookVersion: { version: 1 } });
    expect(execution.response).toEqual({ user: { user_metadata: { foo: 'bar' }, app_metadata: { vip: true, score: 7 } } });
    expect(execution.effectiveResponse).toEqual(execution.response);
    expect(execution.warnings).toEqual([]);
    expect(execution.payload.user.username).toBe('user1');
    expect(execution.payload.user.password).toBe('[REDACTED]');
    expect(execution.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs the Auth0 starter: the response is the input user, its password redacted where stored', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'starter', triggerId: 'pre-user-registration', script: sample('auth0-pre-user-registration-starter.js') });
    const payload = { ...SAMPLE_PAYLOAD, user: { ...SAMPLE_PAYLOAD.user, password: 'Hunter2-correct-horse' } };
    const execution = await runHook(app, { hookId: hook.id, payload });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.response.user).toEqual({ ...SAMPLE_PAYLOAD.user, password: '[REDACTED]' });
    expect(execution.effectiveResponse).toEqual({ user: { user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full' } } });
    expect(execution.warnings.map((w: any) => w.path)).toContain('user.password');
    const stored = JSON.stringify(app.db.$client.prepare('select * from executions').all());
    expect(stored).not.toContain('Hunter2-correct-horse');
  });

  it('runs the OneLogin sample given base64, logging the context as one line', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'pre-auth', triggerId: 'pre-authentication', scriptBase64: sample('onelogin-pre-authentication.b64').trim() });
    const execution = await runHook(app, { hookId: hook.id, payload: { user: { id: 42, email: 'a@b.c' }, app: { id: 7 } } });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.response).toEqual({ user: { id: 42, email: 'a@b.c' } });
    const lines = logMessages(execution);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('a@b.c');
  });

  it('runs a draft script without saving it', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'draft', triggerId: 'pre-user-registration', script: sample('auth0-pre-user-registration-metadata.js') });
    const draft = `module.exports = function (user, context, cb) { console.log('draft ran'); cb(null, { user: { app_metadata: { draft: true } } }) }`;
    const execution = await runHook(app, { hookId: hook.id, script: draft });
    expect(execution).toMatchObject({ status: 'SUCCEEDED', hookVersion: null, response: { user: { app_metadata: { draft: true } } } });
    const read = await app.ok(`query($id: ID!) { hook(id: $id) { version script } }`, { id: hook.id });
    expect(read.hook).toEqual({ version: 1, script: sample('auth0-pre-user-registration-metadata.js') });

    const broken = await app.ok(RUN_HOOK, { input: { hookId: hook.id, script: 'module.exports = function (user, context, cb) {\n  cb(null, {}\n}' } });
    expect(broken.runHook).toMatchObject({ __typename: 'ScriptSyntaxError', line: 2 });
  });

  it('hands secrets to context.webtask.secrets and masks their values in what it stores', async () => {
    const app = createTestApp();
    const script = `module.exports = function (user, context, cb) {
      console.log('key is ' + context.webtask.secrets.API_KEY);
      cb(null, { user: { app_metadata: { echoed: context.webtask.secrets.API_KEY, draft: context.webtask.secrets.DRAFT_ONLY } } });
    }`;
    const hook = await createHook(app, { name: 'secretive', triggerId: 'pre-user-registration', script });
    await app.ok(`mutation($id: ID!) { setHookSecrets(input: {hookId: $id, secrets: [{name: "API_KEY", value: "s3cr3t-api-key"}]}) { __typename } }`, { id: hook.id });
    const execution = await runHook(app, { hookId: hook.id, secrets: [{ name: 'DRAFT_ONLY', value: 'draft-secret-value' }] });
    expect(execution.status).toBe('SUCCEEDED');
    expect(logMessages(execution)).toEqual(['key is [REDACTED]']);
    expect(execution.response.user.app_metadata).toEqual({ echoed: '[REDACTED]', draft: '[REDACTED]' });
    const stored = JSON.stringify([app.db.$client.prepare('select * from executions').all(), app.db.$client.prepare('select * from execution_logs').all()]);
    expect(stored).not.toContain('s3cr3t-api-key');
    expect(stored).not.toContain('draft-secret-value');
  });

  it('gives OneLogin hooks process.env from the env vars they list and their secrets', async () => {
    const app = createTestApp();
    await app.ok(`mutation { setEnvVar(input: {name: "API_KEY", value: "env-api-key-1"}) { __typename } }`);
    await app.ok(`mutation { setEnvVar(input: {name: "UNLISTED", value: "not-for-this-hook"}) { __typename } }`);
    const script = `exports.handler = async (context) => ({ success: true, user: { policy_id: 1 }, seen: Object.keys(process.env).sort(), ok: process.env.API_KEY === 'env-api-key-1' })`;
    const hook = await createHook(app, { name: 'env', triggerId: 'pre-authentication', script, envVarNames: ['API_KEY'] });
    const execution = await runHook(app, { hookId: hook.id });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.response.seen).toEqual(['API_KEY']);
    expect(execution.response.ok).toBe(true);
  });

  it('records failures: thrown errors with their line, a never-called callback, an infinite loop', async () => {
    const app = createTestApp();
    const make = (name: string, script: string, timeoutMs = 500) =>
      createHook(app, { name, triggerId: 'post-user-registration', script, timeoutMs });
    const thrower = await make('thrower', 'module.exports = function (user, context, cb) {\n  null.boom;\n}');
    const thrown = await runHook(app, { hookId: thrower.id });
    expect(thrown).toMatchObject({ status: 'FAILED', error: { name: 'TypeError', line: 2 } });

    const silent = await make('silent', 'module.exports = function (user, context, cb) { }');
    const neverCalled = await runHook(app, { hookId: silent.id });
    expect(neverCalled.status).toBe('TIMED_OUT');
    expect(neverCalled.error.message).toMatch(/callback/i);

    const loop = await make('loop', 'module.exports = function (user, context, cb) { while (true) {} }');
    const started = Date.now();
    const looped = await runHook(app, { hookId: loop.id });
    expect(looped.status).toBe('TIMED_OUT');
    expect(Date.now() - started).toBeLessThan(3000);

    const ok = await make('ok', 'module.exports = function (user, context, cb) { cb(null, {}) }');
    expect((await runHook(app, { hookId: ok.id })).status).toBe('SUCCEEDED');
  });

  it('refuses oversized payloads, needs run:hooks, and keeps executions within their tenant', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { cb() }' });
    const big = await app.ok(RUN_HOOK, { input: { hookId: hook.id, payload: { user: { blob: 'x'.repeat(300 * 1024) } } } });
    expect(big.runHook).toMatchObject({ __typename: 'ValidationError' });
    expect(big.runHook.message).toMatch(/payload/);

    const execution = await runHook(app, { hookId: hook.id });
    const other = await createTenant(app, 'other');
    expect((await app.ok(`query($id: ID!) { execution(id: $id) { id } }`, { id: execution.id }, other)).execution).toBeNull();
    const foreignRun = await app.ok(RUN_HOOK, { input: { hookId: hook.id } }, other);
    expect(foreignRun.runHook.__typename).toBe('NotFoundError');
    const mine = await app.ok(`query($id: ID!) { execution(id: $id) { id status } }`, { id: execution.id });
    expect(mine.execution).toEqual({ id: execution.id, status: 'SUCCEEDED' });
    expect(decodeGlobalID(execution.id).typename).toBe('Execution');
  });
});

describe('the execution a run answers with', () => {
  // The end of a run is not read back from the database: it is the row as written (execution-store).
  it('is the execution as stored, field for field, for a success with warnings and for a failure', async () => {
    const app = createTestApp();
    const starter = await createHook(app, { name: 'starter', triggerId: 'pre-user-registration', script: sample('auth0-pre-user-registration-starter.js') });
    const failing = await createHook(app, { name: 'failing', triggerId: 'pre-user-registration', script: `module.exports = function (user, context, cb) { cb(new PreUserRegistrationError('no', 'Not you')) }` });
    for (const hook of [starter, failing]) {
      const answered = await runHook(app, { hookId: hook.id });
      const stored = await app.ok(`query($id: ID!) { node(id: $id) { ... on Execution { ${EXECUTION_FIELDS()} } } }`, { id: answered.id });
      expect(stored.node).toEqual(answered);
    }
  });
});
