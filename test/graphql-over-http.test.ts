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

  it('never quote the value in the reason, in any form graphql-js and the scalars give it', async () => {
    const app = createTestApp();
    const SECRET = 'sk_live_Abc123XyZ';
    const HOOKS = `query($n: Int) { hooks(first: $n) { edges { cursor } } }`;
    const SECRETS = `mutation($input: SetHookSecretsInput!) { setHookSecrets(input: $input) { __typename } }`;
    const EXECUTIONS = `query($filter: ExecutionFilter) { executions(first: 1, filter: $filter) { edges { cursor } } }`;
    const UPDATE = `mutation($input: UpdateHookInput!) { updateHook(input: $input) { __typename } }`;
    const cases: [string, Record<string, unknown>, string][] = [
      [HOOKS, { n: SECRET }, 'Variable "$n" got an invalid value; Int cannot represent non-integer value'],
      [UPDATE, { input: { id: 'x', timeoutMs: 98765432109 } }, 'Variable "$input" got an invalid value at "input.timeoutMs"; Int cannot represent non 32-bit signed integer value'],
      [SECRETS, { input: { hookId: 'x', secrets: [{ name: 'K', value: ['SECRETVAL5'] }] } }, 'Variable "$input" got an invalid value at "input.secrets[0].value"; String cannot represent a non string value'],
      [SECRETS, { input: { hookId: { SECRETVAL5: 1 }, secrets: [] } }, 'Variable "$input" got an invalid value at "input.hookId"; ID cannot represent value'],
      [UPDATE, { input: { id: 'x', enabled: SECRET } }, 'Variable "$input" got an invalid value at "input.enabled"; Boolean cannot represent a non boolean value'],
      [EXECUTIONS, { filter: { status: SECRET } }, 'Variable "$filter" got an invalid value at "filter.status"; The value does not exist in "ExecutionStatus" enum.'],
      [EXECUTIONS, { filter: { status: 'RUNNINK' } }, 'Variable "$filter" got an invalid value at "filter.status"; The value does not exist in "ExecutionStatus" enum. Did you mean the enum value "RUNNING"?'],
      [EXECUTIONS, { filter: { status: [SECRET] } }, 'Variable "$filter" got an invalid value at "filter.status"; Enum "ExecutionStatus" cannot represent non-string value'],
      [EXECUTIONS, { filter: { since: SECRET } }, 'Variable "$filter" got an invalid value at "filter.since"; DateTime cannot represent an invalid date-time-string'],
      [EXECUTIONS, { filter: { since: [SECRET] } }, 'Variable "$filter" got an invalid value at "filter.since"; DateTime cannot represent non string or Date type'],
      [DISPATCH, { input: { triggerId: 'pre-user-registration', payload: SECRET } }, 'Variable "$input" got an invalid value at "input.payload"; JSONObject cannot represent non-object value'],
      [SET_ENV_VAR, { input: { name: 'A', value: null } }, 'Variable "$input" got an invalid value at "input.value"; Expected non-nullable type "String!" not to be null.'],
    ];
    for (const [query, variables, message] of cases) {
      const answer = await post(app, query, variables);
      expect({ variables, status: answer.status, errors: JSON.parse(answer.text).errors }).toEqual({
        variables,
        status: 400,
        errors: [{ message, locations: expect.any(Array), extensions: { code: 'BAD_USER_INPUT' } }],
      });
      expect(answer.text).not.toMatch(/sk_live|SECRETVAL|98765432109/);
    }
  });
});
