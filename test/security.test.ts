import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, MAX_REQUEST_BODY_BYTES, QUERY_LIMITS } from '../src/graphql/security.ts';
import { createHook, createTestApp, RUN_HOOK, runHook, type TestApp } from './helpers.ts';

const ENDPOINT = 'http://hookgate.test/graphql';

type Body = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** A POST of a raw body, for what the gql helper cannot send. */
async function post(app: TestApp, body: BodyInit, headers: Record<string, string> = {}) {
  const response = await app.yoga.fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
}

const messageOf = (result: { errors?: { message: string }[] }) => result.errors?.map((e) => e.message).join('\n') ?? '';

/** A query as a GraphQL-over-HTTP client sends it: refused operations answer HTTP 400. */
async function query(app: TestApp, source: string, token: string | null = app.adminToken) {
  const headers: Record<string, string> = { accept: 'application/graphql-response+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const { status, body } = await post(app, JSON.stringify({ query: source }), headers);
  return { status, ...body, code: body.errors?.[0]?.extensions?.code };
}

describe('query limits', () => {
  it('rejects a query deeper than the limit, but not introspection', async () => {
    const app = createTestApp();
    // `__type` is not the introspection that the limit lets through (`__schema`).
    const selection = `${'{ ofType '.repeat(QUERY_LIMITS.maxDepth)}{ name }${' }'.repeat(QUERY_LIMITS.maxDepth)}`;
    const deep = await query(app, `{ __type(name: "Query") ${selection} }`);
    expect(deep).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(messageOf(deep)).toMatch(`Query depth limit of ${QUERY_LIMITS.maxDepth} exceeded`);

    // GraphiQL's introspection query is far deeper, and answers.
    const introspection = await query(app, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), null);
    expect(introspection.status).toBe(200);
    expect(introspection.errors).toBeUndefined();
    expect((introspection.data as any).__schema.queryType.name).toBe('Query');
  });

  it('rejects a query that would cost more than the limit', async () => {
    const app = createTestApp();
    const costly = await query(app, `{ executions(first: 100) { edges { node { logs(first: 100) { edges { node { message } } } } } } }`);
    expect(costly).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(messageOf(costly)).toMatch(`Query Cost limit of ${QUERY_LIMITS.maxCost} exceeded`);
    expect(costly.data).toBeUndefined();
  });

  it('rejects too many aliases', async () => {
    const app = createTestApp();
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `t${i}: triggers { id }`).join(' ');
    const result = await query(app, `{ ${aliases} }`);
    expect(result).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(messageOf(result)).toMatch(`Aliases limit of ${QUERY_LIMITS.maxAliases} exceeded`);
    // One alias fewer is fine.
    const allowed = Array.from({ length: QUERY_LIMITS.maxAliases }, (_, i) => `t${i}: triggers { id }`).join(' ');
    expect(Object.keys(await app.ok(`{ ${allowed} }`))).toHaveLength(QUERY_LIMITS.maxAliases);
  });

  it('rejects too many directives', async () => {
    const app = createTestApp();
    const result = await query(app, `{ triggers { ${'id @include(if: true) '.repeat(QUERY_LIMITS.maxDirectives + 1)} } }`);
    expect(result).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(messageOf(result)).toMatch(`Directives limit of ${QUERY_LIMITS.maxDirectives} exceeded`);
  });

  it('rejects a document of too many tokens', async () => {
    const app = createTestApp();
    const result = await query(app, `{ triggers { ${'id '.repeat(QUERY_LIMITS.maxTokens)} } }`);
    expect(result).toMatchObject({ status: 400, code: 'GRAPHQL_PARSE_FAILED' });
    expect(messageOf(result)).toMatch(`Token limit of ${QUERY_LIMITS.maxTokens} exceeded`);
  });
});

describe('field suggestions', () => {
  it('hides "Did you mean" from callers without a valid token and shows it to those with one', async () => {
    const app = createTestApp();
    const typo = `{ trigers { id } }`;
    // Validation results are cached per document: asking with and without a token in turn
    // shows the cache does not carry one caller's answer to the other.
    const withToken = await app.gql(typo);
    expect(messageOf(withToken)).toMatch('Did you mean "triggers"');
    const anonymous = await app.gql(typo, {}, null);
    expect(anonymous.errors?.[0].message).toMatch('Cannot query field "trigers" on type "Query".');
    expect(messageOf(anonymous)).not.toMatch(/Did you mean/);
    const badToken = await app.gql(typo, {}, 'hg_not-a-real-token');
    expect(messageOf(badToken)).not.toMatch(/Did you mean/);
    expect(messageOf(await app.gql(typo))).toMatch('Did you mean "triggers"');
    // And the other way round: an anonymous caller first, a viewer next.
    const otherTypo = `{ hoks { edges { node { id } } } }`;
    expect(messageOf(await app.gql(otherTypo, {}, null))).not.toMatch(/Did you mean/);
    expect(messageOf(await app.gql(otherTypo))).toMatch('Did you mean "hooks"');

    // Suggestions also come from coercing variables, at execution.
    const mutation = `mutation($input: CreateTenantInput!) { createTenant(input: $input) { __typename } }`;
    const coerced = await app.gql(mutation, { input: { nme: 'acme' } }, null);
    expect(messageOf(coerced)).toMatch('Field "nme" is not defined by type "CreateTenantInput"');
    expect(messageOf(coerced)).not.toMatch(/Did you mean/);
    expect(messageOf(await app.gql(mutation, { input: { nme: 'acme' } }))).toMatch('Did you mean "name"?');
  });
});

describe('CSRF prevention', () => {
  const TRIGGERS = '{ triggers { id } }';

  it('refuses form POSTs without the CSRF header, and lets GET queries through (issue 11, item 10)', async () => {
    const app = createTestApp();
    const authorization = `Bearer ${app.adminToken}`;
    const form = await post(app, new URLSearchParams({ query: TRIGGERS }).toString(), { 'content-type': 'application/x-www-form-urlencoded', authorization });
    expect(form.status).toBe(403);
    expect(messageOf(form.body)).toBe(
      'Required CSRF header(s) not present: POST JSON (Content-Type: application/json), or add the x-graphql-yoga-csrf header (any value)',
    );

    // urql's default: queries as GET, no CSRF header. Only the Authorization header authenticates,
    // which a cross-site request cannot carry.
    const get = await app.yoga.fetch(`${ENDPOINT}?query=${encodeURIComponent(TRIGGERS)}`, { headers: { authorization } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.triggers.length).toBeGreaterThan(0);

    // A mutation over GET is refused: mutations are POST-only.
    const mutation = `mutation { createTenant(input: { name: "via-get" }) { __typename } }`;
    const getMutation = await app.yoga.fetch(`${ENDPOINT}?query=${encodeURIComponent(mutation)}`, { headers: { authorization } });
    expect(getMutation.status).toBe(405);
    expect(JSON.stringify((await app.ok('{ viewer { tenant { name } } }')))).not.toContain('via-get');

    const withHeader = await app.yoga.fetch(`${ENDPOINT}?query=${encodeURIComponent(TRIGGERS)}`, { headers: { authorization, [CSRF_HEADER]: '1' } });
    expect(withHeader.status).toBe(200);
    expect(((await withHeader.json()) as any).data.triggers.length).toBeGreaterThan(0);

    // JSON requests are preflighted by browsers, so they need no header (the test helpers).
    expect((await post(app, JSON.stringify({ query: TRIGGERS }), { authorization })).status).toBe(200);
  });

  it('answers 405 with an Allow header, before the CSRF check, to every method yoga does not serve', async () => {
    const app = createTestApp();
    for (const method of ['DELETE', 'PUT', 'PATCH', 'HEAD', 'TRACE', 'PROPFIND']) {
      for (const headers of [{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/json' }] as Record<string, string>[]) {
        const body = method === 'HEAD' ? undefined : JSON.stringify({ query: TRIGGERS });
        const response = await app.yoga.fetch(ENDPOINT, { method, headers: { ...headers, authorization: `Bearer ${app.adminToken}` }, body });
        const text = await response.text();
        expect({ method, headers, status: response.status, allow: response.headers.get('allow') }).toEqual({ method, headers, status: 405, allow: 'GET, POST' });
        if (method !== 'HEAD') expect(JSON.parse(text)).toEqual({ errors: [{ message: 'GraphQL only supports GET and POST requests.', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    // A CORS preflight is still answered, and the CSRF check still refuses a form POST.
    expect((await app.yoga.fetch(ENDPOINT, { method: 'OPTIONS' })).status).toBe(204);
    expect((await app.yoga.fetch(ENDPOINT, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: TRIGGERS }) })).status).toBe(403);
  });

  it('serves GraphiQL configured to send the header', async () => {
    const app = createTestApp();
    const page = await app.yoga.fetch(ENDPOINT, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(CSRF_HEADER);
  });
});

describe('request body size', () => {
  const oversized = () => JSON.stringify({ query: '{ triggers { id } }', variables: { pad: 'x'.repeat(MAX_REQUEST_BODY_BYTES) } });

  it('answers 413 when Content-Length is over the limit', async () => {
    const app = createTestApp();
    const body = oversized();
    const result = await post(app, body, { 'content-length': String(Buffer.byteLength(body)) });
    expect(result.status).toBe(413);
    expect(result.body.errors?.[0]).toMatchObject({ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } });
  });

  it('answers 413 when a streamed body without Content-Length passes the limit', async () => {
    const app = createTestApp();
    const bytes = new TextEncoder().encode(oversized());
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const result = await post(app, stream);
    expect(result.status).toBe(413);
    expect(result.body.errors?.[0].extensions?.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });
});

describe('request body size over HTTP', () => {
  /** The app served by Node's HTTP server, and one raw request to it: its status and body. */
  async function serve(app: TestApp) {
    const server = createServer(app.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const send = (headers: Record<string, string>, chunks: string[]) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, text }));
        });
        request.on('error', reject);
        for (const chunk of chunks) request.write(chunk);
        request.end();
      });
    return { send, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('counts a chunked body as it streams in, and trusts only a Content-Length that Node enforces', async () => {
    const app = createTestApp();
    const { send, close } = await serve(app);
    try {
      const query = JSON.stringify({ query: '{ __typename }' });
      expect(await send({ 'content-length': String(query.length) }, [query])).toMatchObject({ status: 200 });
      expect(await send({ 'transfer-encoding': 'chunked' }, [query])).toMatchObject({ status: 200 });

      const pad = 'x'.repeat(256 * 1024);
      const chunks = ['{"query": "{ __typename }", "variables": {"pad": "', ...Array.from({ length: MAX_REQUEST_BODY_BYTES / pad.length }, () => pad), '"}}'];
      const chunked = await send({ 'transfer-encoding': 'chunked' }, chunks);
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.text).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');

      // A small Content-Length beside a chunked body: Node refuses the request before yoga sees it.
      const both = await send({ 'transfer-encoding': 'chunked', 'content-length': '10' }, chunks).catch((error: Error) => ({ status: 0, text: error.message }));
      expect(both.status).not.toBe(200);
      expect([0, 400]).toContain(both.status);
    } finally {
      await close();
    }
  });

  it('counts a body handed in-process under a Content-Length it does not keep', async () => {
    const app = createTestApp();
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(MAX_REQUEST_BODY_BYTES) } });
    const result = await post(app, body, { 'content-length': '100' });
    expect(result.status).toBe(413);
  });
});

describe('bodies that are not JSON', () => {
  it('answer 400 with the reason and position, never quoting the body back (it may hold secrets)', async () => {
    const app = createTestApp();
    const body = '{"query": "mutation { setHookSecrets(input: {secrets: [{name: \\"A\\", value: \\"TOPSECRET-123\\"}]}) }", oops';
    const logged = vi.spyOn(console, 'error');
    const result = await post(app, body, { authorization: `Bearer ${app.adminToken}` });
    // Nor into the server's log: it is the client's mistake, not worth a line.
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body)).not.toContain('TOPSECRET');
    expect(result.body.errors).toEqual([
      {
        // V8 adds the line and column since Node 24.
        message: expect.stringMatching(/^POST body sent invalid JSON: Expected double-quoted property name in JSON at position 102 \(line 1 column 103\)$/),
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
  });
});

describe('GET and form parameters that are not JSON', () => {
  it('answer 400, not an internal error, without quoting the parameter back', async () => {
    const app = createTestApp();
    const logged = vi.spyOn(console, 'error');
    const url = `${ENDPOINT}?query=${encodeURIComponent('{ triggers { id } }')}&variables=${encodeURIComponent('{"token": "TOPSECRET-7", oops')}`;
    const response = await app.yoga.fetch(url, { headers: { authorization: `Bearer ${app.adminToken}`, [CSRF_HEADER]: '1' } });
    const body = (await response.json()) as Body;
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
    expect(response.status).toBe(400);
    expect(JSON.stringify(body)).not.toContain('TOPSECRET');
    expect(body.errors?.[0]).toEqual({
      message: expect.stringMatching(/^Request parameters are not valid JSON: Expected double-quoted property name in JSON at position 25 \(line 1 column 26\)$/),
      extensions: { code: 'BAD_REQUEST' },
    });
  });
});

describe('run rate limit', () => {
  const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) { __typename ... on DispatchTriggerSuccess { outcome } } }`;
  const dispatchInput = { input: { triggerId: 'pre-user-registration', payload: { user: { email: 'a@b.c' }, context: {} } } };
  const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { ... on CreateApiTokenSuccess { token } } }`;

  it('answers RATE_LIMITED with HTTP 429 and Retry-After once a token spent its runs of the minute', async () => {
    const app = createTestApp({ runRateLimitPerMinute: 3 });
    const hook = await createHook(app, {
      name: 'allow',
      triggerId: 'pre-user-registration',
      script: 'module.exports = function (user, context, cb) { cb(null, {}) }',
    });
    // runHook and dispatchTrigger share the token's budget.
    expect((await runHook(app, { hookId: hook.id })).status).toBe('SUCCEEDED');
    expect((await runHook(app, { hookId: hook.id })).status).toBe('SUCCEEDED');
    expect((await app.ok(DISPATCH, dispatchInput)).dispatchTrigger.outcome).toBe('ALLOW');

    const limited = await post(app, JSON.stringify({ query: RUN_HOOK, variables: { input: { hookId: hook.id } } }), {
      authorization: `Bearer ${app.adminToken}`,
    });
    expect(limited.status).toBe(429);
    const error = limited.body.errors?.[0];
    expect(error?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = error?.extensions?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(error?.message).toBe(`Too many runs for this token: retry in ${retryAfter} s`);
    expect(limited.headers.get('retry-after')).toBe(String(retryAfter));

    const dispatched = await app.gql(DISPATCH, dispatchInput);
    expect(dispatched.status).toBe(429);
    expect(dispatched.errors?.[0].extensions?.code).toBe('RATE_LIMITED');

    // Another token of the same tenant has its own budget.
    const { token } = (await app.ok(CREATE_TOKEN, { input: { name: 'pipeline', scopes: ['RUN_HOOKS', 'READ_HOOKS', 'READ_EXECUTIONS'] } })).createApiToken;
    expect((await app.ok(DISPATCH, dispatchInput, token)).dispatchTrigger.outcome).toBe('ALLOW');
    expect((await runHook(app, { hookId: hook.id }, token)).status).toBe('SUCCEEDED');
  });

  it('does not limit runs when the limit is 0', async () => {
    const app = createTestApp({ runRateLimitPerMinute: 0 });
    for (let i = 0; i < 10; i++) expect((await app.ok(DISPATCH, dispatchInput)).dispatchTrigger.outcome).toBe('ALLOW');
  });
});
