/**
 * Issue 11, items 5 and 6: end users' passwords, one-time codes and message texts are secrets known
 * by value, masked wherever anything of a run is stored, published or returned, in escaped forms too.
 */
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp, EXECUTION_FIELDS, type TestApp } from './helpers.ts';

// Quotes, a backslash and a newline: every escaped form differs from the value.
const PASSWORD = `Pa"ss\\w'rd\n-91x`;
const forms = (value: string) => [
  value,
  JSON.stringify(value).slice(1, -1),
  JSON.stringify(JSON.stringify(value)).slice(1, -1),
  value.replace(/['\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)),
  encodeURIComponent(value),
];
const expectNone = (text: string, values: string[]) => {
  for (const value of values) for (const form of forms(value)) expect(text, `${JSON.stringify(form)} in ${text.slice(0, 2000)}`).not.toContain(form);
};

const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) {
  __typename ... on DispatchTriggerSuccess { outcome response userMessage warnings { path reason } executions { ${EXECUTION_FIELDS()} } } ... on Error { message } } }`;

/** Everything both subscriptions send while `run` runs, as raw SSE text. */
async function liveTextDuring(app: TestApp, run: () => Promise<unknown>): Promise<string> {
  const abort = new AbortController();
  const subscribe = (query: string) =>
    app.yoga.fetch('http://hookgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify({ query }),
      signal: abort.signal,
    });
  const updates = await subscribe(`subscription { executionUpdated { id status payload response effectiveResponse error { message userMessage } } }`);
  let text = '';
  const reader = updates.body!.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    } catch {
      // aborted
    }
  })();
  const result = await run();
  // Each ended run's log stream: its stored lines, then the end.
  for (const id of JSON.stringify(result).match(/"id":"[^"]+"/g) ?? []) {
    const logs = await app.yoga.fetch('http://hookgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { executionLogs(executionId: $id) { message } }`, variables: { id: id.slice(6, -1) } }),
    });
    text += await logs.text();
  }
  await app.services.dispatch.idle();
  await new Promise((resolve) => setTimeout(resolve, 50));
  abort.abort();
  await reader.cancel();
  await reading;
  return text;
}

describe('end users’ passwords', () => {
  it('pre-user-registration: masked in every console form, error, thrown value, response, userMessage and live event', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'leaky',
      triggerId: 'pre-user-registration',
      script: `module.exports = function (user, context, cb) {
        console.log(user);
        console.log('%j', user);
        console.log(JSON.stringify(user, null, 2));
        console.log(JSON.stringify({ wrapped: JSON.stringify(user) }));
        console.log('pw=' + encodeURIComponent(user.password));
        if (context.deny) return cb(new PreUserRegistrationError('denied: ' + user.password, 'Your password ' + user.password + ' is weak'));
        if (context.fail) throw new Error('bad password ' + user.password);
        cb(null, { user: { app_metadata: { legacy_pw: user.password, [user.password]: 1, note: 'pw ' + user.password } } });
      }`,
    });
    const payload = (context: object) => ({ triggerId: 'pre-user-registration', payload: { user: { email: 'a@b.c', password: PASSWORD }, context } });
    let answers = '';
    const live = await liveTextDuring(app, async () => {
      const results = [];
      for (const context of [{}, { deny: true }, { fail: true }]) results.push((await app.ok(DISPATCH, { input: payload(context) })).dispatchTrigger);
      answers = JSON.stringify(results);
      return results;
    });
    const parsed = JSON.parse(answers);
    expect(parsed.map((r: { outcome: string }) => r.outcome)).toEqual(['ALLOW', 'DENY', 'DENY']);
    expect(parsed[1].userMessage).toBe('Your password [REDACTED] is weak');
    expect(parsed[0].executions[0].logs.edges).toHaveLength(5);
    expect(answers).toContain('[REDACTED]');
    expectNone(answers, [PASSWORD]);
    expect(live).toContain('executionUpdated');
    expect(live).toContain('executionLogs');
    expectNone(live, [PASSWORD]);
    const stored = JSON.stringify((await app.ok(`{ executions(first: 3) { edges { node { ${EXECUTION_FIELDS()} } } } }`)).executions);
    expectNone(stored, [PASSWORD]);
  });

  it('user-migration: the context logged, and the platform’s own message quoting a URL that holds it', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'migrate',
      triggerId: 'user-migration',
      script: `exports.handler = async (context) => {
        console.log(context);
        console.log('context %o', context);
        await fetch('https://legacy.invalid:bad/?pass=' + context.password);
        return { success: true, user: { username: context.user_identifier } };
      }`,
    });
    const result = await app.ok(DISPATCH, { input: { triggerId: 'user-migration', payload: { user_identifier: 'bob', password: PASSWORD } } });
    const execution = result.dispatchTrigger.executions[0];
    expect(execution.error.message).toMatch(/URL|fetch/i);
    expect(JSON.stringify(execution)).toContain('[REDACTED]');
    expectNone(JSON.stringify(result), [PASSWORD]);
  });

  it('send-phone-message: the one-time code and the message text', async () => {
    const app = createTestApp();
    await createHook(app, {
      name: 'sms',
      triggerId: 'send-phone-message',
      script: `module.exports = function (recipient, text, context, cb) {
        console.log('sending', text, 'code', context.code, context);
        cb(new Error('provider refused ' + text));
      }`,
    });
    const text = 'Your code is 481516, it expires soon';
    const result = await app.ok(DISPATCH, { input: { triggerId: 'send-phone-message', payload: { recipient: '+15555550100', text, context: { code: '481516' } } } });
    expect(result.dispatchTrigger.outcome).toBe('DENY');
    expectNone(JSON.stringify(result), [text, '481516']);
  });
});
