/**
 * Secrets a hook writes in URL forms, cut at the end of a long console line, or short enough to be
 * exempt in text: none of them reaches what a run stores or returns.
 */
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp, EXECUTION_FIELDS, logMessages, runHook, type TestApp } from './helpers.ts';

const CUT = '… [hookgate: line cut at 4096 bytes]';

const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) {
  __typename ... on DispatchTriggerSuccess { executions { ${EXECUTION_FIELDS()} } } ... on Error { message } } }`;

/** Everything stored of every execution: rows and console lines. */
const storedText = (app: TestApp) =>
  JSON.stringify([app.db.$client.prepare('select * from executions').all(), app.db.$client.prepare('select * from execution_logs').all()]);

/** A OneLogin hook with `body` as its handler's body. */
async function runDraft(app: TestApp, body: string, secrets: Record<string, string>) {
  const hook = await createHook(app, { name: 'forms', triggerId: 'pre-authentication', script: 'exports.handler = async (context) => ({ success: true, user: context.user })' });
  return runHook(app, {
    hookId: hook.id,
    script: `exports.handler = async (context) => { ${body} }`,
    secrets: Object.entries(secrets).map(([name, value]) => ({ name, value })),
  });
}

describe('secrets percent-encoded in a URL', () => {
  it('masks a secret put into a query with URLSearchParams or url.searchParams, or written with encodeURI', async () => {
    const app = createTestApp();
    const execution = await runDraft(
      app,
      `const pass = process.env.DB_PASS;
      console.log(new URLSearchParams({ user: 'svc', pass }).toString());
      const url = new URL('https://x.test/login'); url.searchParams.set('pass', pass); console.log(url.href);
      console.log(encodeURI('https://x.test/login?pass=' + pass));
      console.log(new URL('https://x.test/login?pass=' + pass).href);
      return { success: true, user: context.user, links: [String(url), encodeURI(pass)] };`,
      { DB_PASS: 'p@ss word!' },
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(logMessages(execution)).toEqual([
      'user=svc&pass=[REDACTED]',
      'https://x.test/login?pass=[REDACTED]',
      'https://x.test/login?pass=[REDACTED]',
      'https://x.test/login?pass=[REDACTED]',
    ]);
    expect(execution.response.links).toEqual(['https://x.test/login?pass=[REDACTED]', '[REDACTED]']);
    const stored = storedText(app);
    for (const form of ['p@ss word!', 'p%40ss+word!', 'p@ss%20word!', 'p%40ss%20word!', 'p%40ss+word%21']) expect(stored).not.toContain(form);
  });
});

describe('secrets base64-encoded', () => {
  it('masks a secret in Basic credentials and encoded alone, in lines, the response and what is stored', async () => {
    const app = createTestApp();
    const execution = await runDraft(
      app,
      `const pass = process.env.DB_PASS;
      console.log('Authorization: Basic ' + btoa('svc:' + pass));
      return { success: true, user: context.user, token: btoa(pass) };`,
      { DB_PASS: 's3cr3t-pass' },
    );
    expect(execution.status).toBe('SUCCEEDED');
    // `svc:` is 4 bytes: 5 characters of its own, then one with bits of it and of the secret.
    expect(logMessages(execution)).toEqual([expect.stringMatching(/^Authorization: Basic c3ZjO[A-Za-z0-9+/]?\[REDACTED\]$/)]);
    expect(execution.response.token).toBe('[REDACTED]');
    const stored = storedText(app);
    for (const form of [btoa('svc:s3cr3t-pass'), btoa('s3cr3t-pass'), btoa('s3cr3t-pass').slice(0, 12)]) expect(stored).not.toContain(form);
  });
});

describe('a secret cut at the end of a long console line', () => {
  it('masks its start, even one or two characters of it', async () => {
    const app = createTestApp();
    const secret = 'sk_live_Abc123XyZ';
    const execution = await runDraft(
      app,
      `const s = process.env.KEY;
      console.log('y'.repeat(4095) + s);
      console.log('é'.repeat(2047) + s);
      console.log('y'.repeat(4090) + s);
      return { success: true, user: context.user };`,
      { KEY: secret },
    );
    expect(execution).toMatchObject({ status: 'SUCCEEDED', logsTruncated: true });
    const lines = logMessages(execution);
    expect(lines.map((line: string) => line.replace(/^y+|^é+/, (run) => `${run[0]}×${run.length}`))).toEqual([
      `y×4095[REDACTED]${CUT}`,
      `é×2047[REDACTED]${CUT}`,
      `y×4090[REDACTED]${CUT}`,
    ]);
  });
});

describe('short one-time codes and secrets in structured values', () => {
  it('send-phone-message: a two-digit code is masked in the payload and as a whole JSON string of a console line', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'sms',
      triggerId: 'send-phone-message',
      script: `module.exports = function (recipient, text, context, cb) {
        const sent = { code: context.code, factor: context.factor };
        console.log(JSON.stringify(sent));
        console.log(sent);
        console.log(context.code);
        console.log('I have 77 apples and', JSON.stringify({ wrapped: JSON.stringify(sent) }));
        cb(null, { sent: context.code });
      }`,
    });
    const result = await app.ok(DISPATCH, { input: { triggerId: 'send-phone-message', payload: { recipient: '+15555550100', text: 'Your code is 77', context: { code: '77', factor: 'sms' } } } });
    const [execution] = result.dispatchTrigger.executions;
    expect(execution.payload.context).toEqual({ code: '[REDACTED]', factor: 'sms' });
    expect(execution.response).toEqual({ sent: '[REDACTED]' });
    expect(logMessages(execution)).toEqual([
      '{"code":"[REDACTED]","factor":"sms"}',
      "{ code: '[REDACTED]', factor: 'sms' }",
      '[REDACTED]',
      'I have 77 apples and {"wrapped":"{\\"code\\":\\"[REDACTED]\\",\\"factor\\":\\"sms\\"}"}',
    ]);
    const stored = storedText(app);
    expect(stored).not.toMatch(/\\*"code\\*":\\*"77/);
  });

  it('a one-time code sent as a number is masked in the payload, the response and console lines, as its string is', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'sms',
      triggerId: 'send-phone-message',
      script: `module.exports = function (recipient, text, context, cb) {
        console.log(JSON.stringify({ code: context.code, factor: context.factor }));
        console.log(context);
        console.log(context.code);
        console.log(JSON.stringify({ short: context.short }));
        cb(null, { sent: context.code, list: [context.code, 9876543] });
      }`,
    });
    const payload = { recipient: '+15555550100', text: 'Your code is 123456', context: { code: 123456, factor: 'sms', short: 42 } };
    const result = await app.ok(DISPATCH, { input: { triggerId: 'send-phone-message', payload } });
    const [execution] = result.dispatchTrigger.executions;
    expect(execution.payload.context).toEqual({ code: '[REDACTED]', factor: 'sms', short: 42 });
    expect(execution.response).toEqual({ sent: '[REDACTED]', list: ['[REDACTED]', 9876543] });
    expect(logMessages(execution)).toEqual([
      '{"code":[REDACTED],"factor":"sms"}',
      "{ code: [REDACTED], factor: 'sms', short: 42, webtask: { secrets: {} } }",
      '[REDACTED]',
      '{"short":42}',
    ]);
    expect(storedText(app)).not.toContain('123456');
  });

  it('send-phone-message: a two-digit code sent as a number is masked whole, in JSON and alone on a line', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'sms',
      triggerId: 'send-phone-message',
      script: `module.exports = function (recipient, text, context, cb) {
        console.log(JSON.stringify({ code: context.code }));
        console.log(context.code);
        console.log('I have 77 apples');
        cb(null, { sent: context.code });
      }`,
    });
    const payload = { recipient: '+15555550100', text: 'Your code is 77', context: { code: 77 } };
    const [execution] = (await app.ok(DISPATCH, { input: { triggerId: 'send-phone-message', payload } })).dispatchTrigger.executions;
    expect(execution.payload.context).toEqual({ code: '[REDACTED]' });
    expect(execution.response).toEqual({ sent: '[REDACTED]' });
    expect(logMessages(execution)).toEqual(['{"code":[REDACTED]}', '[REDACTED]', 'I have 77 apples']);
    expect(storedText(app)).not.toMatch(/\\*"code\\*":77/);
  });
});

describe('a password sent as a number', () => {
  it('is masked by value as its string is: in console lines, the response and an error', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'pin',
      triggerId: 'pre-user-registration',
      script: `module.exports = function (user, context, cb) {
        console.log(user.password);
        console.log(JSON.stringify({ pin: user.password }));
        if (context.deny) return cb(new Error('weak ' + user.password));
        cb(null, { user: { app_metadata: { legacy: user.password, n: 87654321 } } });
      }`,
    });
    const run = async (context: object) =>
      (await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload: { user: { email: 'a@b.c', password: 12345678 }, context } } })).dispatchTrigger.executions[0];
    const allowed = await run({});
    expect(allowed.payload.user.password).toBe('[REDACTED]');
    expect(allowed.response).toEqual({ user: { app_metadata: { legacy: '[REDACTED]', n: 87654321 } } });
    expect(logMessages(allowed)).toEqual(['[REDACTED]', '{"pin":[REDACTED]}']);
    const denied = await run({ deny: true });
    expect(denied.error.message).toBe('weak [REDACTED]');
    expect(storedText(app)).not.toContain('12345678');
  });
});

describe('the tenant’s secrets and env vars under three characters', () => {
  it('are left alone: a user whose name equals a 2-character secret or env var reaches the pipeline and the record as sent', async () => {
    const app = createTestApp();
    expect((await app.ok('mutation { setEnvVar(input: {name: "TIER", value: "1"}) { __typename } }')).setEnvVar.__typename).toBe('SetEnvVarSuccess');
    const hook = await createHook(app, {
      name: 'profile',
      triggerId: 'pre-user-registration',
      envVarNames: ['TIER'],
      script: 'module.exports = function (user, context, cb) { console.log(user.username); cb(null, { user: { user_metadata: { hobby: user.user_metadata.hobby, nick: user.username, tier: user.user_metadata.tier } } }); }',
    });
    const secrets = await app.ok('mutation($id: ID!) { setHookSecrets(input: {hookId: $id, secrets: [{name: "REGION", value: "eu"}, {name: "API_KEY", value: "sk_live_9f8e7d"}]}) { __typename } }', { id: hook.id });
    expect(secrets.setHookSecrets.__typename).toBe('SetHookSecretsSuccess');
    const payload = { user: { username: 'eu', email: 'eu@x.test', user_metadata: { hobby: 'eu', tier: '1', note: 'key sk_live_9f8e7d' } } };
    const [execution] = (await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload } })).dispatchTrigger.executions;
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.response).toEqual({ user: { user_metadata: { hobby: 'eu', nick: 'eu', tier: '1' } } });
    expect(execution.effectiveResponse).toEqual({ user: { user_metadata: { hobby: 'eu', nick: 'eu', tier: '1' } } });
    expect(execution.payload.user).toEqual({ ...payload.user, user_metadata: { hobby: 'eu', tier: '1', note: 'key [REDACTED]' } });
    expect(logMessages(execution)).toEqual(['eu']);
    const stored = storedText(app);
    expect(stored).toContain('\\"nick\\":\\"eu\\"');
    expect(stored).not.toContain('sk_live_9f8e7d');
  });

  it('a two-character draft secret returned in the response stays as returned', async () => {
    const app = createTestApp();
    const execution = await runDraft(app, `return { success: true, user: context.user, d: process.env.D, note: 'zq stays in text' };`, { D: 'zq' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.response).toMatchObject({ d: 'zq', note: 'zq stays in text' });
  });
});
