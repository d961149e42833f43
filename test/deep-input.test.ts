/**
 * A client's JSON nested far deeper than any limit (20,000 arrays) reaches no recursive function
 * (JSON.stringify, Array#join, a validator) before its depth is checked: every way in answers the
 * client's error, never an internal one.
 */
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp, RUN_HOOK } from './helpers.ts';
import { restTestApp } from './rest-helpers.ts';
import { useParseDepthGuard } from '../src/graphql/security.ts';

/** JSON text of `levels` nested arrays around 1: built as text, since JSON.stringify of it would overflow the stack. */
const deepArrays = (levels = 20_000) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
const DEEP = deepArrays();
const DEEP_PAYLOAD = `{"user":{"email":"a@b.c","deep":${DEEP}},"context":{}}`;

const SCRIPT = 'module.exports = function (u, c, cb) { cb(null, {}) }';

/** POSTs a GraphQL request whose variables are given as JSON text. */
async function post(app: ReturnType<typeof createTestApp>, query: string, variablesJson: string, extensionsJson = '{}') {
  const response = await app.yoga.fetch('http://hookgate.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.adminToken}` },
    body: `{"query":${JSON.stringify(query)},"variables":${variablesJson},"extensions":${extensionsJson}}`,
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) { __typename ... on Error { message } ... on ValidationError { field } } }`;
const START = `mutation($input: RunHookInput!) { startRun(input: $input) { __typename ... on Error { message } ... on ValidationError { field } } }`;

describe('deeply nested input', () => {
  it('refuses a payload of 20,000 nested arrays with the depth ValidationError (runHook, startRun, dispatchTrigger)', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: SCRIPT });
    const runInput = `{"input":{"hookId":${JSON.stringify(hook.id)},"payload":${DEEP_PAYLOAD}}}`;
    const tooDeep = { __typename: 'ValidationError', field: 'input.payload', message: 'input.payload: must nest at most 64 levels deep' };

    const run = await post(app, RUN_HOOK.replace('... on Error { message }', '... on Error { message } ... on ValidationError { field }'), runInput);
    expect(run.body).toEqual({ data: { runHook: tooDeep } });
    const started = await post(app, START, runInput);
    expect(started.body).toEqual({ data: { startRun: tooDeep } });
    const dispatched = await post(app, DISPATCH, `{"input":{"triggerId":"pre-user-registration","payload":${DEEP_PAYLOAD}}}`);
    expect(dispatched.body).toEqual({ data: { dispatchTrigger: tooDeep } });
    expect(run.status).toBe(200);
  });

  it('answers BAD_USER_INPUT for nested arrays given to JSONObject, DateTime, Int and String variables', async () => {
    const app = createTestApp();
    const cases: [string, string][] = [
      [DISPATCH, `{"input":{"triggerId":"pre-user-registration","payload":${DEEP}}}`],
      [`query($since: DateTime) { executions(first: 1, filter: {since: $since}) { edges { cursor } } }`, `{"since":${DEEP}}`],
      [`query($n: Int) { hooks(first: $n) { edges { cursor } } }`, `{"n":${DEEP}}`],
      [`mutation($input: SecretInput!) { setEnvVar(input: $input) { __typename } }`, `{"input":{"name":"A","value":${DEEP}}}`],
    ];
    for (const [query, variables] of cases) {
      const { status, body } = await post(app, query, variables);
      expect({ query, status, codes: body.errors?.map((error) => error.extensions?.code) }).toEqual({ query, status: 400, codes: ['BAD_USER_INPUT'] });
    }
  });

  it('runs a request whose extensions and unused input fields nest 20,000 levels deep', async () => {
    const app = createTestApp();
    const { status, body } = await post(app, `query { viewer { scopes } }`, '{}', `{"deep":${DEEP}}`);
    expect(status).toBe(200);
    expect(body.data.viewer.scopes).toContain('*');
  });
});

describe('deeply nested input to the REST dialects', () => {
  it('is the vendor’s own client error (Auth0 400, OneLogin 422), never a 500', async () => {
    const { rest } = await restTestApp();
    const script = JSON.stringify(SCRIPT);
    const auth0 = [
      await rest('POST', '/api/v2/hooks', { body: `{"name":"deep","script":${script},"triggerId":"pre-user-registration","dependencies":{"a":${DEEP}}}` }),
      await rest('POST', '/api/v2/hooks', { body: `{"name":"deep","script":${script},"triggerId":"pre-user-registration","extra":${DEEP}}` }),
      await rest('POST', '/api/v2/hooks', { body: DEEP }),
    ];
    expect(auth0.map((answer) => answer.status)).toEqual([400, 400, 400]);
    expect(auth0[0]!.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });

    const fn = JSON.stringify(Buffer.from(SCRIPT).toString('base64'));
    const onelogin = [
      await rest('POST', '/api/2/hooks', { body: `{"type":"pre-authentication","function":${fn},"options":${DEEP}}` }),
      await rest('POST', '/api/2/hooks', { body: `{"type":"pre-authentication","function":${fn},"conditions":${DEEP}}` }),
      await rest('POST', '/api/2/hooks', { body: `{"type":"pre-authentication","function":${fn},"packages":{"a":${DEEP}}}` }),
    ];
    expect(onelogin.map((answer) => answer.status)).toEqual([422, 422, 422]);
    expect(onelogin[0]!.body).toMatchObject({ name: expect.any(String), message: expect.any(String) });
  });
});

describe('deeply nested literals in the document', () => {
  it('answer the parse error, never an internal one, with or without a token', async () => {
    const app = createTestApp();
    for (const levels of [1_500, 3_000, 20_000]) {
      const query = `query { hooks(first: ${deepArrays(levels)}) { edges { cursor } } }`;
      for (const token of [null, app.adminToken]) {
        const answer = await app.gql(query, {}, token);
        // 200 for application/json answers, as for any document that does not parse.
        expect(answer.errors?.[0]?.extensions?.code, `${levels} levels: ${answer.errors?.[0]?.message}`).toBe('GRAPHQL_PARSE_FAILED');
      }
    }
  });

  it('turns a parser that runs out of stack into the parse error', () => {
    let replaced: ((source: string, options?: object) => unknown) | undefined;
    const exhausted = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    useParseDepthGuard().onParse!({ parseFn: exhausted, setParseFn: (fn: typeof replaced) => (replaced = fn) } as never);
    expect(() => replaced!('{ a }')).toThrow(expect.objectContaining({ message: 'Syntax Error: the document nests too deeply to parse', extensions: expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED' }) }));
    const other = new SyntaxError('not mine');
    useParseDepthGuard().onParse!({ parseFn: () => { throw other; }, setParseFn: (fn: typeof replaced) => (replaced = fn) } as never);
    expect(() => replaced!('{ a }')).toThrow(other);
  });
});
