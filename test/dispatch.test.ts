import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { executions } from '../src/db/schema.ts';
import { newId } from '../src/lib/ids.ts';
import { createHook, createTestApp, sample } from './helpers.ts';

const DISPATCH = `mutation($input: DispatchTriggerInput!) {
  dispatchTrigger(input: $input) {
    __typename
    ... on Error { message }
    ... on DispatchTriggerSuccess { outcome response userMessage warnings { path reason } executionIds executions { id status attempts error { name message userMessage } } }
  }
}`;

const SAMPLE_PAYLOAD = JSON.parse(sample('payload-pre-user-registration.json'));

describe('dispatchTrigger (the pipeline)', () => {
  it('allows with an empty response when no hook is enabled, and rejects unknown triggers', async () => {
    const app = createTestApp();
    const none = await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload: SAMPLE_PAYLOAD } });
    expect(none.dispatchTrigger).toMatchObject({ outcome: 'ALLOW', response: {}, executions: [] });
    const unknown = await app.ok(DISPATCH, { input: { triggerId: 'post-login', payload: {} } });
    expect(unknown.dispatchTrigger.__typename).toBe('UnknownTriggerError');
  });

  it('refuses a payload without what the trigger hands its hooks, naming the key', async () => {
    const app = createTestApp();
    const withField = DISPATCH.replace('... on Error { message }', '... on Error { message } ... on ValidationError { field }');
    const noUser = await app.ok(withField, { input: { triggerId: 'pre-user-registration', payload: { foo: 1 } } });
    expect(noUser.dispatchTrigger).toEqual({
      __typename: 'ValidationError',
      field: 'input.payload.user',
      message: 'input.payload.user: A pre-user-registration payload needs `user` (an object), got none',
    });
    const textless = await app.ok(withField, { input: { triggerId: 'send-phone-message', payload: { recipient: '+15555550100', text: 42 } } });
    expect(textless.dispatchTrigger).toMatchObject({ field: 'input.payload.text', message: expect.stringContaining('got number') });
    // Every trigger's documented sample passes, and so does the shared sample payload.
    for (const { id } of (await app.ok(`{ triggers { id } }`)).triggers) {
      const sample = (await app.ok(`query($id: String!) { trigger(id: $id) { samplePayload } }`, { id })).trigger.samplePayload;
      expect((await app.ok(DISPATCH, { input: { triggerId: id, payload: sample } })).dispatchTrigger.__typename, id).toBe('DispatchTriggerSuccess');
    }
    expect((await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload: SAMPLE_PAYLOAD } })).dispatchTrigger.__typename).toBe('DispatchTriggerSuccess');
    // The Runner checks a payload it is given the same way.
    const hook = await createHook(app, { name: 'checked', triggerId: 'user-migration', script: 'exports.handler = async () => ({ success: false })' });
    const run = await app.ok(`mutation($input: RunHookInput!) { runHook(input: $input) { __typename ... on ValidationError { field } } }`, {
      input: { hookId: hook.id, payload: { user_identifier: 'ada@example.com' } },
    });
    expect(run.runHook).toEqual({ __typename: 'ValidationError', field: 'input.payload.password' });
  });

  it('applies the pre-user-registration contract: metadata merged, bad keys dropped with warnings', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'meta',
      triggerId: 'pre-user-registration',
      script: `module.exports = function (user, context, cb) {
        cb(null, { user: { app_metadata: { plan: 'gold', $bad: 1, 'a.b': 2 }, email: 'changed@x.y' } });
      }`,
    });
    const result = (await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload: SAMPLE_PAYLOAD } })).dispatchTrigger;
    expect(result.outcome).toBe('ALLOW');
    expect(result.response).toEqual({ user: { app_metadata: { plan: 'gold' } } });
    expect(result.warnings.map((w: any) => w.path).sort()).toEqual(['user.app_metadata.$bad', 'user.app_metadata.a.b', 'user.email'].sort());
    expect(result.executions[0].status).toBe('SUCCEEDED');
  });

  it('denies with the user message of a PreUserRegistrationError, as the Auth0 sample does', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'deny',
      triggerId: 'pre-user-registration',
      script: `module.exports = function (user, context, cb) {
  const isUserDenied = user.email.endsWith('@foo.com');
  if (isUserDenied) {
    const LOCALIZED_MESSAGES = {
      en: 'You are not allowed to register.',
      es: 'No tienes permitido registrarte.'
    };
    const localizedMessage = LOCALIZED_MESSAGES[context.renderLanguage] || LOCALIZED_MESSAGES['en'];
    return cb(new PreUserRegistrationError('Denied user registration in Pre-User Registration Hook', localizedMessage));
  }
  cb(null, {});
};`,
    });
    const payload = { ...SAMPLE_PAYLOAD, context: { ...SAMPLE_PAYLOAD.context, renderLanguage: 'es' } };
    const result = (await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload } })).dispatchTrigger;
    expect(result).toMatchObject({ outcome: 'DENY', response: null, userMessage: 'No tienes permitido registrarte.' });
    expect(result.executions[0]).toMatchObject({
      status: 'FAILED',
      error: { name: 'PreUserRegistrationError', message: 'Denied user registration in Pre-User Registration Hook' },
    });
  });

  it('keeps only namespaced claims and the scope for credentials-exchange', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'claims',
      triggerId: 'credentials-exchange',
      script: `module.exports = function (client, scope, audience, context, cb) {
        var access_token = {};
        access_token['https://example.com/claim'] = 'bar';
        access_token['https://tenant.auth0.com/claim'] = 'no';
        access_token.plain = 'no';
        access_token.scope = scope.concat(['extra:scope']);
        cb(null, access_token);
      }`,
    });
    const payload = { client: { id: 'c1', name: 'app' }, scope: ['read:users'], audience: 'https://api', context: {} };
    const result = (await app.ok(DISPATCH, { input: { triggerId: 'credentials-exchange', payload } })).dispatchTrigger;
    expect(result.response).toEqual({ 'https://example.com/claim': 'bar', scope: ['read:users', 'extra:scope'] });
    expect(result.warnings.map((w: any) => w.path).sort()).toEqual(['https://tenant.auth0.com/claim', 'plain'].sort());
  });

  it('skips a hook whose role conditions do not match', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'admins-only',
      triggerId: 'pre-authentication',
      script: 'exports.handler = async (context) => ({ success: false })',
      conditions: [{ source: 'roles', operator: '~', value: '123456' }],
    });
    const outsider = await app.ok(DISPATCH, { input: { triggerId: 'pre-authentication', payload: { user: { id: 1, roles: [999] } } } });
    expect(outsider.dispatchTrigger).toMatchObject({ outcome: 'ALLOW', executions: [] });
    const member = await app.ok(DISPATCH, { input: { triggerId: 'pre-authentication', payload: { user: { id: 1, roles: [123456] } } } });
    expect(member.dispatchTrigger).toMatchObject({ outcome: 'DENY' });
  });

  it('queues async triggers, answering at once, and retries failures in the background', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'flaky',
      triggerId: 'post-user-registration',
      retries: 2,
      timeoutMs: 1000,
      script: `module.exports = function (user, context, cb) { setTimeout(function () { cb(new Error('CRM is down')) }, 50) }`,
    });
    const result = (await app.ok(DISPATCH, { input: { triggerId: 'post-user-registration', payload: { user: { id: 'u1' }, context: {} } } })).dispatchTrigger;
    expect(result.outcome).toBe('ALLOW');
    expect(result.executions).toHaveLength(1);
    expect(result.executions[0].status).toBe('QUEUED');
    expect(result.executionIds).toEqual([result.executions[0].id]);

    await app.services.dispatch.idle();
    const done = await app.ok(`query($id: ID!) { execution(id: $id) { status attempts error { message } logs { edges { node { message } } } } }`, {
      id: result.executions[0].id,
    });
    expect(done.execution).toMatchObject({ status: 'FAILED', attempts: 3, error: { message: 'CRM is down' } });
    expect(done.execution.logs.edges.map((e: any) => e.node.message)).toEqual(['Retrying: attempt 2 of 3', 'Retrying: attempt 3 of 3']);
  });

  it('marks runs left RUNNING by a stopped process as interrupted, and resumes queued ones', async () => {
    const app = createTestApp();
    await createHook(app, { name: 'later', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' });
    const payload = { user: { id: 'u1' }, context: {} };
    const result = (await app.ok(DISPATCH, { input: { triggerId: 'post-user-registration', payload } })).dispatchTrigger;
    await app.services.dispatch.idle();
    const finished = app.db.select().from(executions).get()!;
    expect(finished.status).toBe('SUCCEEDED');

    // What a killed process leaves behind: one run RUNNING, one QUEUED with its pending input.
    app.db.update(executions).set({ status: 'RUNNING' }).run();
    const queuedId = newId();
    app.db
      .insert(executions)
      .values({ ...finished, id: queuedId, status: 'QUEUED', attempts: 0, pendingInput: app.secretBox.encrypt(JSON.stringify({ payload })) })
      .run();

    expect(app.services.executionStore.markInterrupted()).toBe(1);
    const interrupted = await app.ok(`query($id: ID!) { execution(id: $id) { status error { name } } }`, { id: result.executions[0].id });
    expect(interrupted.execution).toEqual({ status: 'FAILED', error: { name: 'Interrupted' } });

    expect(app.services.dispatch.resumeQueued()).toBe(1);
    await app.services.dispatch.idle();
    const resumed = app.db.select().from(executions).where(eq(executions.id, queuedId)).get()!;
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', attempts: 1, pendingInput: null });
  });
});

describe('the vendors’ samples through the pipeline', () => {
  it('gives the documented results', async () => {
    const app = createTestApp();
    await createHook(app, { name: 'metadata', triggerId: 'pre-user-registration', script: sample('auth0-pre-user-registration-metadata.js') });
    await createHook(app, { name: 'pre-auth', triggerId: 'pre-authentication', scriptBase64: sample('onelogin-pre-authentication.b64').trim() });
    const registration = (await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload: SAMPLE_PAYLOAD } })).dispatchTrigger;
    expect(registration).toMatchObject({
      outcome: 'ALLOW',
      warnings: [],
      response: { user: { user_metadata: { foo: 'bar' }, app_metadata: { vip: true, score: 7 } } },
    });
    const login = (await app.ok(DISPATCH, { input: { triggerId: 'pre-authentication', payload: { user: { id: 7, policy_id: 3 } } } })).dispatchTrigger;
    expect(login).toMatchObject({ outcome: 'ALLOW', response: { success: true, user: { policy_id: 3 } } });
  });
});

describe('dispatchTrigger after a change to the hooks', () => {
  // The hooks of a trigger and their serving versions are kept in memory while unchanged (db/table-changes.ts).
  it('runs what is saved now: a new script, a disabled hook, a new hook, a deleted one', async () => {
    const app = createTestApp();
    const responseOf = async () => (await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload: SAMPLE_PAYLOAD } })).dispatchTrigger;
    const script = (n: number) => `module.exports = function (user, context, cb) { cb(null, { user: { app_metadata: { n: ${n} } } }) }`;
    const first = await createHook(app, { name: 'first', triggerId: 'pre-user-registration', script: script(1) });
    expect((await responseOf()).response).toEqual({ user: { app_metadata: { n: 1 } } });
    const update = `mutation($input: UpdateHookInput!) { updateHook(input: $input) { __typename } }`;
    await app.ok(update, { input: { id: first.id, script: script(2) } });
    expect((await responseOf()).response).toEqual({ user: { app_metadata: { n: 2 } } });
    await app.ok(update, { input: { id: first.id, enabled: false } });
    expect(await responseOf()).toMatchObject({ response: {}, executions: [] });
    const second = await createHook(app, { name: 'second', triggerId: 'pre-user-registration', script: script(3) });
    expect((await responseOf()).response).toEqual({ user: { app_metadata: { n: 3 } } });
    await app.ok(`mutation($id: ID!) { deleteHook(input: {id: $id}) { __typename } }`, { id: second.id });
    expect(await responseOf()).toMatchObject({ response: {}, executions: [] });
  });
});
