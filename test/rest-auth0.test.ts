import { describe, expect, it } from 'vitest';
import { createHook, createTenant } from './helpers.ts';
import { restTestApp, tokenWithScopes } from './rest-helpers.ts';

const SCRIPT = 'module.exports = function (user, context, cb) { cb(null, { user }); };';
const hookBody = (name: string, extra: Record<string, unknown> = {}) => ({ name, script: SCRIPT, triggerId: 'pre-user-registration', ...extra });

describe('Auth0 Management API v2: /api/v2/hooks', async () => {
  const { app, rest, expectStatus } = await restTestApp();

  it('creates a hook (201) and answers the hook object; a second of the trigger starts disabled', async () => {
    const created = await expectStatus(201, 'POST', '/api/v2/hooks', { body: hookBody('first-hook', { dependencies: { axios: '1.7.0' } }) });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'first-hook',
      script: SCRIPT,
      triggerId: 'pre-user-registration',
      enabled: true,
      dependencies: { axios: '1.7.0' },
    });
    const second = await expectStatus(201, 'POST', '/api/v2/hooks', { body: hookBody('second-hook') });
    expect(second).toMatchObject({ enabled: false, dependencies: {} });
  });

  it('answers 409 for a taken name, and 400 naming the field for bad bodies', async () => {
    await rest('POST', '/api/v2/hooks', { body: hookBody('taken-name') });
    expect(await rest('POST', '/api/v2/hooks', { body: hookBody('taken-name') })).toMatchObject({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'Hook with the same name already exists.', errorCode: 'hook_conflict' },
    });
    const bad = async (body: unknown) => {
      const answer = await rest('POST', '/api/v2/hooks', { body });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      return answer.body.message as string;
    };
    expect(await bad({ script: SCRIPT, triggerId: 'pre-user-registration' })).toBe("Payload validation error: 'Required' on property name.");
    expect(await bad(hookBody('bad_name!'))).toMatch(/^Payload validation error: '.*letters.*' on property name\.$/);
    expect(await bad(hookBody('x', { triggerId: 'nope' }))).toMatch(/^Payload validation error: 'Unknown trigger "nope".*' on property triggerId\.$/);
    expect(await bad(hookBody('x', { script: 'module.exports = function (' }))).toMatch(/on property script\.$/);
    expect(await bad(hookBody('x', { colour: 'red' }))).toBe("Payload validation error: 'Additional property not allowed' on property colour.");
    expect(await bad(hookBody('x', { dependencies: { 'Not A Package': '1' } }))).toMatch(/on property dependencies\.$/);
    expect(await bad('{"name": ')).toMatch(/^Payload validation error: 'The body is not valid JSON.*' on property body\.$/);
  });

  it('lists hooks as a bare array, or with totals; pages, filters and picks fields', async () => {
    const { expectStatus: call } = await restTestApp();
    for (const name of ['a1', 'a2', 'a3']) await call(201, 'POST', '/api/v2/hooks', { body: hookBody(name) });
    await call(201, 'POST', '/api/v2/hooks', { body: { name: 'cx', script: SCRIPT, triggerId: 'credentials-exchange' } });
    const all = await call(200, 'GET', '/api/v2/hooks');
    expect(all.map((hook: { name: string }) => hook.name)).toEqual(['cx', 'a3', 'a2', 'a1']);
    expect(await call(200, 'GET', '/api/v2/hooks?page=1&per_page=2&include_totals=true')).toEqual({
      start: 2,
      limit: 2,
      total: 4,
      hooks: [expect.objectContaining({ name: 'a2' }), expect.objectContaining({ name: 'a1' })],
    });
    const enabled = await call(200, 'GET', '/api/v2/hooks?enabled=true');
    expect(enabled.map((hook: { name: string }) => hook.name).sort()).toEqual(['a1', 'cx']);
    expect(await call(200, 'GET', '/api/v2/hooks?triggerId=credentials-exchange&fields=name,enabled')).toEqual([{ name: 'cx', enabled: true }]);
    const tooMany = await restTestApp().then(({ rest: r }) => r('GET', '/api/v2/hooks?per_page=101'));
    expect(tooMany).toMatchObject({ status: 400, body: { errorCode: 'invalid_query_string', message: expect.stringMatching(/on property per_page\.$/) } });
  });

  it('reads, changes and deletes one hook; an unknown one is 404 "Hook not found."', async () => {
    const { id } = await expectStatus(201, 'POST', '/api/v2/hooks', { body: hookBody('one-hook') });
    expect(await expectStatus(200, 'GET', `/api/v2/hooks/${id}?fields=id,name`)).toEqual({ id, name: 'one-hook' });
    const changed = await expectStatus(200, 'PATCH', `/api/v2/hooks/${id}`, {
      body: { name: 'renamed-hook', script: `${SCRIPT} // v2`, enabled: false, dependencies: { lodash: '^4.17.21' } },
    });
    expect(changed).toEqual({ id, name: 'renamed-hook', script: `${SCRIPT} // v2`, triggerId: 'pre-user-registration', enabled: false, dependencies: { lodash: '^4.17.21' } });
    expect(await rest('PATCH', `/api/v2/hooks/${id}`, { body: { triggerId: 'credentials-exchange' } })).toMatchObject({
      status: 400,
      body: { message: "Payload validation error: 'Additional property not allowed' on property triggerId." },
    });
    const enabledOne = await expectStatus(201, 'POST', '/api/v2/hooks', { body: { name: 'enabled-cx', script: SCRIPT, triggerId: 'credentials-exchange' } });
    const disabledOne = await expectStatus(201, 'POST', '/api/v2/hooks', { body: { name: 'disabled-cx', script: SCRIPT, triggerId: 'credentials-exchange' } });
    expect(await rest('PATCH', `/api/v2/hooks/${disabledOne.id}`, { body: { enabled: true } })).toMatchObject({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: expect.stringContaining('"enabled-cx" is already enabled') },
    });
    expect(await rest('PATCH', `/api/v2/hooks/${disabledOne.id}`, { body: { name: enabledOne.name } })).toMatchObject({
      status: 409,
      body: { message: 'Hook with the same name already exists.' },
    });
    expect(await rest('DELETE', `/api/v2/hooks/${id}`)).toMatchObject({ status: 204, body: undefined });
    for (const [method, body] of [['GET'], ['PATCH', { enabled: true }], ['DELETE']] as const) {
      expect(await rest(method, `/api/v2/hooks/${id}`, { body })).toMatchObject({
        status: 404,
        body: { statusCode: 404, error: 'Not Found', message: 'Hook not found.', errorCode: 'inexistent_hook' },
      });
    }
  });

  it("does not see another tenant's hooks", async () => {
    const { id } = await expectStatus(201, 'POST', '/api/v2/hooks', { body: hookBody('mine-only') });
    const other = await createTenant(app, 'other-auth0');
    expect((await rest('GET', `/api/v2/hooks/${id}`, { token: other })).status).toBe(404);
    expect(await expectStatus(200, 'GET', '/api/v2/hooks', { token: other })).toEqual([]);
  });

  it('answers 401 for a missing or bad token, 403 naming the scope, 404 for an unknown endpoint, 413 for a huge body', async () => {
    expect(await rest('GET', '/api/v2/hooks', { token: null })).toMatchObject({ status: 401, body: { statusCode: 401, error: 'Unauthorized' } });
    const wrong = await rest('GET', '/api/v2/hooks', { token: 'hg_not-a-real-token-at-all' });
    expect(wrong).toMatchObject({ status: 401, body: { statusCode: 401, error: 'Unauthorized', errorCode: 'invalid_token' } });
    expect(JSON.stringify(wrong.body)).not.toContain('hg_not-a-real-token');
    const runner = tokenWithScopes(app, ['run:hooks']);
    expect(await rest('GET', '/api/v2/hooks', { token: runner })).toMatchObject({
      status: 403,
      body: { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope; expected any of: read:hooks.', errorCode: 'insufficient_scope' },
    });
    expect(await rest('POST', '/api/v2/hooks', { token: runner, body: hookBody('nope') })).toMatchObject({
      status: 403,
      body: { message: 'Insufficient scope; expected any of: create:hooks.' },
    });
    expect(await rest('GET', '/api/v2/rules')).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } });
    const huge = await rest('POST', '/api/v2/hooks', { body: hookBody('huge', { script: `// ${'x'.repeat(3 * 1024 * 1024)}` }) });
    expect(huge).toMatchObject({ status: 413, body: { statusCode: 413 } });
  });
});

describe('Auth0 hook secrets: /api/v2/hooks/{id}/secrets', async () => {
  const { app, rest, expectStatus } = await restTestApp();
  const { id } = await expectStatus(201, 'POST', '/api/v2/hooks', { body: hookBody('with-secrets') });
  const path = `/api/v2/hooks/${id}/secrets`;

  it('adds, hides, updates and deletes secrets', async () => {
    expect(await rest('POST', path, { body: { API_KEY: 'key-value-1', DB_URL: 'db-value-1' } })).toMatchObject({ status: 201 });
    expect(await expectStatus(200, 'GET', path)).toEqual({ API_KEY: '_VALUE_NOT_SHOWN_', DB_URL: '_VALUE_NOT_SHOWN_' });
    expect(await rest('POST', path, { body: { API_KEY: 'again' } })).toMatchObject({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'Secret with the same name already exists: API_KEY.' },
    });
    // The Deploy CLI sends back what it read: the placeholder keeps the stored value.
    expect(await rest('PATCH', path, { body: { API_KEY: 'key-value-2', DB_URL: '_VALUE_NOT_SHOWN_' } })).toMatchObject({ status: 200 });
    expect(app.services.secrets.hookSecretValues(id)).toEqual({ API_KEY: 'key-value-2', DB_URL: 'db-value-1' });
    expect(await rest('PATCH', path, { body: { MISSING: 'x' } })).toMatchObject({
      status: 404,
      body: { statusCode: 404, message: 'Secret not found: MISSING.' },
    });
    expect(await rest('DELETE', path, { body: ['DB_URL'] })).toMatchObject({ status: 204 });
    expect(await expectStatus(200, 'GET', path)).toEqual({ API_KEY: '_VALUE_NOT_SHOWN_' });
  });

  it('refuses the placeholder as a new value, more than 20 per request, bad names, and unknown hooks', async () => {
    expect(await rest('POST', path, { body: { NEW_ONE: '_VALUE_NOT_SHOWN_' } })).toMatchObject({ status: 400, body: { errorCode: 'invalid_body' } });
    expect(app.services.secrets.hookSecretValues(id)).not.toHaveProperty('NEW_ONE');
  });

  it('names the secret at fault in a 400, not its place in a list', async () => {
    const invalid = (body: unknown, method = 'POST') => rest(method, path, { body }).then((answer) => answer.body);
    expect(await invalid({ FINE: 'v', TOO_LONG: 'x'.repeat(10_001) })).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: "Payload validation error: 'String must contain at most 10000 character(s)' on property TOO_LONG.",
      errorCode: 'invalid_body',
    });
    expect((await invalid({ FINE: 'v', TOO_LONG: 'x'.repeat(10_001) }, 'PATCH')).message).toMatch(/on property TOO_LONG\.$/);
    expect((await invalid({ FINE: 'v', PLACEHOLDER: '_VALUE_NOT_SHOWN_' })).message).toMatch(/^Payload validation error: '.*hidden value.*' on property PLACEHOLDER\.$/);
    expect((await invalid({ FINE: 'v', 'bad name': 'v' })).message).toMatch(/on property bad name\.$/);
    expect((await invalid(['FINE', 'bad name'], 'DELETE')).message).toMatch(/on property bad name\.$/);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`S${i}`, 'v']));
    expect(await rest('POST', path, { body: many })).toMatchObject({ status: 400, body: { message: expect.stringContaining('at most 20') } });
    expect(await rest('DELETE', path, { body: Array.from({ length: 21 }, (_, i) => `S${i}`) })).toMatchObject({ status: 400 });
    expect(await rest('POST', path, { body: { '1-bad': 'v' } })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/on property 1-bad\.$/) } });
    expect(await rest('GET', '/api/v2/hooks/unknown-id/secrets')).toMatchObject({ status: 404, body: { message: 'Hook not found.' } });
    expect(await rest('POST', '/api/v2/hooks/unknown-id/secrets', { body: { A: 'b' } })).toMatchObject({ status: 404 });
  });

  it('never answers a secret value', async () => {
    await rest('POST', path, { body: { NEVER_SHOWN: 'sup3r-s3cret-value' } });
    for (const answer of [await rest('GET', path), await rest('GET', `/api/v2/hooks/${id}`), await rest('GET', '/api/v2/hooks')]) {
      expect(JSON.stringify(answer.body)).not.toContain('sup3r-s3cret-value');
    }
  });
});

describe('Auth0 dialect rate limit', async () => {
  const { app, rest } = await restTestApp({ runRateLimitPerMinute: 3, apiRateLimitPerMinute: 4 });
  const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) { __typename ... on DispatchTriggerSuccess { outcome } } }`;
  const dispatchInput = { input: { triggerId: 'pre-user-registration', payload: { user: { email: 'a@b.c' }, context: {} } } };

  it('counts requests in a budget of their own (HOOKGATE_API_RATE_LIMIT): reads never spend runs, runs never spend requests', async () => {
    await createHook(app, { name: 'limited', triggerId: 'pre-user-registration', script: SCRIPT });
    const first = await rest('GET', '/api/v2/hooks');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('4');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('3');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    // The pipeline's three runs of the minute are all there after the reads, and do not spend the API budget.
    for (let i = 0; i < 3; i++) expect((await app.ok(DISPATCH, dispatchInput)).dispatchTrigger.__typename).toBe('DispatchTriggerSuccess');
    expect((await rest('GET', '/api/v2/hooks')).headers.get('x-ratelimit-remaining')).toBe('2');
    expect((await rest('GET', '/api/v2/hooks')).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await rest('GET', '/api/v2/hooks')).headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await rest('GET', '/api/v2/hooks');
    expect(limited).toMatchObject({ status: 429, body: { statusCode: 429, error: 'Too Many Requests', errorCode: 'too_many_requests' } });
    expect(limited.body.message).toMatch(/^Too many requests for this token: retry in \d+ s$/);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('4');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    // The run budget is its own: spent by the three runs alone.
    expect((await app.gql(DISPATCH, dispatchInput)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('gives another token its own API budget', async () => {
    const other = tokenWithScopes(app, ['read:hooks']);
    expect((await rest('GET', '/api/v2/hooks', { token: other })).headers.get('x-ratelimit-remaining')).toBe('3');
  });
});
