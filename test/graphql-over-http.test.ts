/** Issue 11, items 7 and 10: variables that do not fit their type are the client's error, answered 400 and never logged. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHook, createTestApp, type TestApp } from './helpers.ts';

async function post(app: TestApp, query: string, variables: Record<string, unknown>, accept = 'application/graphql-response+json') {
  const response = await app.yoga.fetch('http://hookgate.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${app.adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, text: await response.text() };
}

const SET_ENV_VAR = `mutation($input: SecretInput!) { setEnvVar(input: $input) { __typename } }`;
const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) { __typename } }`;

describe('variables that do not fit their type', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answer HTTP 400 naming the variable and the field, without its value, and are not logged', async () => {
    const app = createTestApp();
    await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: 'module.exports = (u, c, cb) => cb(null, {})' });
    const logged: unknown[] = [];
    for (const method of ['error', 'warn', 'info', 'log', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args) => void logged.push(args));

    const extra = await post(app, SET_ENV_VAR, { input: { name: 'A', value: 'EchoSecret-42', extra: 1 } });
    expect(extra.status).toBe(400);
    expect(JSON.parse(extra.text)).toMatchObject({
      errors: [{ message: 'Variable "$input" got an invalid value; Field "extra" is not defined by type "SecretInput".', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    expect(extra.text).not.toContain('EchoSecret-42');

    const password = { triggerId: 'pre-user-registration', payload: { user: { email: 'a@b.c', password: 'Hunter2-pw!' } }, extra: true };
    const withPassword = await post(app, DISPATCH, { input: password });
    expect(withPassword.status).toBe(400);
    expect(withPassword.text).not.toContain('Hunter2-pw!');

    const wrongType = await post(app, `query($n: Int) { hooks(first: $n) { edges { cursor } } }`, { n: 'abc' });
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.text).errors[0].message).toMatch(/^Variable "\$n" got an invalid value; Int cannot represent/);

    // A client that accepts only application/json gets 400 as well.
    expect((await post(app, SET_ENV_VAR, { input: { name: 'A' } }, 'application/json')).status).toBe(400);

    expect(JSON.stringify(logged)).not.toMatch(/EchoSecret|Hunter2/);
    expect(logged).toEqual([]);
  });
});
