import { describe, expect, it } from 'vitest';
import { createTenant, runHook } from './helpers.ts';
import { statusOf } from '../src/rest/onelogin/hook-shape.ts';
import { restTestApp, tokenWithScopes } from './rest-helpers.ts';

const SCRIPT = 'exports.handler = async (context) => {\n  console.log("checking", context.user.id);\n  return { success: true, user: context.user };\n};\n';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const UNAUTHORIZED = { message: 'Unauthorized', statusCode: 401, name: 'UnauthorizedError' };
const BAD_BASE64 = {
  name: 'UnprocessableEntityError',
  message: 'instance.function does not match pattern "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"',
};

describe('OneLogin Smart Hooks API: /api/2/hooks', async () => {
  const { app, rest, expectStatus } = await restTestApp();
  let hookId = '';

  it('creates a hook (201) with every field of the seed, status mapped from the hook’s own', async () => {
    const created = await expectStatus(201, 'POST', '/api/2/hooks', {
      body: {
        type: 'pre-authentication',
        function: base64(SCRIPT),
        disabled: false,
        runtime: 'nodejs18.x',
        retries: 2,
        timeout: 2,
        options: { risk_enabled: true, location_enabled: false, mfa_device_info_enabled: true },
        env_vars: ['API_KEY'],
        packages: { axios: '0.21.1' },
        conditions: [{ source: 'roles', operator: '~', value: '123456' }],
        context_version: '1.0.0',
      },
    });
    expect(created).toEqual({
      id: expect.any(String),
      type: 'pre-authentication',
      function: base64(SCRIPT),
      disabled: false,
      runtime: 'nodejs',
      retries: 2,
      timeout: 2,
      options: { risk_enabled: true, location_enabled: false, mfa_device_info_enabled: true },
      env_vars: ['API_KEY'],
      packages: { axios: '0.21.1' },
      conditions: [{ source: 'roles', operator: '~', value: '123456' }],
      context_version: '1.0.0',
      status: 'ready',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    hookId = created.id;
  });

  it('answers 409 for a second hook of a type that allows one, and 422 for bad bodies', async () => {
    expect(await rest('POST', '/api/2/hooks', { body: { type: 'pre-authentication', function: base64(SCRIPT) } })).toMatchObject({
      status: 409,
      body: { name: 'ConflictError', message: expect.stringContaining('pre-authentication') },
    });
    const unprocessable = async (body: Record<string, unknown>) => {
      const answer = await rest('POST', '/api/2/hooks', { body: { type: 'user-migration', function: base64(SCRIPT), ...body } });
      expect(answer.status).toBe(422);
      expect(answer.body.name).toBe('UnprocessableEntityError');
      return answer.body;
    };
    expect(await unprocessable({ function: 'not base64!' })).toEqual(BAD_BASE64);
    expect((await unprocessable({ type: 'post-login' })).message).toMatch(/^instance\.type is not one of enum values: .*pre-authentication/);
    expect((await unprocessable({ type: 'not a type!' })).message).toMatch(/^instance\.type is not one of enum values/);
    expect((await unprocessable({ retries: 5 })).message).toMatch(/^instance\.retries /);
    expect((await unprocessable({ timeout: 11 })).message).toBe('instance.timeout must be less than or equal to 10');
    expect((await unprocessable({ timeout: 'one' })).message).toMatch(/^instance\.timeout /);
    expect((await unprocessable({ env_vars: ['1BAD'] })).message).toMatch(/^instance\.env_vars\.0 /);
    expect((await unprocessable({ packages: { 'Bad Name': '1' } })).message).toMatch(/^instance\.packages /);
    expect((await unprocessable({ runtime: 'python3' })).message).toMatch(/^instance\.runtime /);
    expect((await unprocessable({ function: base64('exports.handler = async (') })).message).toMatch(/^instance\.function does not compile/);
    expect((await unprocessable({ function: undefined })).message).toBe('instance.function Required');
  });

  it('reads, replaces and deletes one hook (DELETE 202); an unknown one is 404', async () => {
    expect(await expectStatus(200, 'GET', `/api/2/hooks/${hookId}`)).toMatchObject({ id: hookId, type: 'pre-authentication' });
    const before = await expectStatus(200, 'GET', `/api/2/hooks/${hookId}`);
    // What a read answered can be sent back, with changes: read-only fields are ignored.
    const updated = await expectStatus(200, 'PUT', `/api/2/hooks/${hookId}`, {
      body: { ...before, function: base64(`${SCRIPT}// v2\n`), disabled: true, timeout: 3, packages: {} },
    });
    expect(updated).toMatchObject({ id: hookId, disabled: true, timeout: 3, packages: {}, function: base64(`${SCRIPT}// v2\n`), status: 'ready' });
    expect(await rest('PUT', `/api/2/hooks/${hookId}`, { body: { type: 'user-migration' } })).toMatchObject({
      status: 422,
      body: { name: 'UnprocessableEntityError', message: 'instance.type cannot change' },
    });
    expect(await rest('PUT', `/api/2/hooks/${hookId}`, { body: { function: '%%%' } })).toMatchObject({ status: 422, body: BAD_BASE64 });
    const { id } = await expectStatus(201, 'POST', '/api/2/hooks', { body: { type: 'user-migration', function: base64(SCRIPT) } });
    expect(await rest('DELETE', `/api/2/hooks/${id}`)).toMatchObject({ status: 202 });
    expect(await rest('GET', `/api/2/hooks/${id}`)).toMatchObject({ status: 404, body: { name: 'NotFoundError', message: 'Hook not found' } });
    expect(await rest('PUT', `/api/2/hooks/${id}`, { body: { disabled: false } })).toMatchObject({ status: 404 });
    expect(await rest('DELETE', `/api/2/hooks/${id}`)).toMatchObject({ status: 404 });
  });

  it('accepts `bearer <token>` and `bearer:<token>`, and answers the seed’s 401 otherwise', async () => {
    for (const authorization of [`bearer ${app.adminToken}`, `bearer:${app.adminToken}`, `Bearer ${app.adminToken}`]) {
      expect((await rest('GET', '/api/2/hooks', { authorization })).status).toBe(200);
    }
    for (const authorization of ['', 'bearer', 'bearer:hg_wrong-token-value', `Basic ${app.adminToken}`]) {
      const answer = await rest('GET', '/api/2/hooks', { authorization, token: null });
      expect(answer).toMatchObject({ status: 401 });
      expect(answer.body).toEqual(UNAUTHORIZED);
    }
  });

  it('refuses a token without the scope (403) and hides other tenants’ hooks', async () => {
    const runner = tokenWithScopes(app, ['run:hooks']);
    expect(await rest('GET', '/api/2/hooks', { token: runner })).toMatchObject({ status: 403, body: { name: 'ForbiddenError' } });
    const other = await createTenant(app, 'other-onelogin');
    expect(await rest('GET', `/api/2/hooks/${hookId}`, { token: other })).toMatchObject({ status: 404 });
    expect(await expectStatus(200, 'GET', '/api/2/hooks', { token: other })).toEqual([]);
  });
});

describe('OneLogin pagination headers', async () => {
  const { rest } = await restTestApp();
  // Two types allow one hook each: more hooks come from GraphQL-style names over the Auth0 dialect.
  for (const name of ['h1', 'h2', 'h3', 'h4', 'h5']) {
    await rest('POST', '/api/v2/hooks', { body: { name, script: 'module.exports = function (u, c, cb) { cb(null, {}) }', triggerId: 'post-user-registration' } });
  }

  it('pages by `page` and by cursor, with Current-Page, Page-Items, Total-Count, Total-Pages, Link and cursors', async () => {
    const first = await rest('GET', '/api/2/hooks?limit=2');
    expect(first.body).toHaveLength(2);
    const header = (answer: typeof first, name: string) => answer.headers.get(name);
    expect([header(first, 'current-page'), header(first, 'page-items'), header(first, 'total-count'), header(first, 'total-pages')]).toEqual(['1', '2', '5', '3']);
    expect(header(first, 'before-cursor')).toBeNull();
    const after = header(first, 'after-cursor')!;
    expect(header(first, 'link')).toContain(`cursor=${after}`);
    expect(header(first, 'link')).toContain('rel="next"');

    const second = await rest('GET', `/api/2/hooks?limit=2&cursor=${after}`);
    expect(header(second, 'current-page')).toBe('2');
    expect(second.body.map((hook: { id: string }) => hook.id)).toEqual((await rest('GET', '/api/2/hooks?limit=2&page=2')).body.map((hook: { id: string }) => hook.id));
    expect(header(second, 'link')).toContain('rel="prev"');
    const back = await rest('GET', `/api/2/hooks?limit=2&cursor=${header(second, 'before-cursor')}`);
    expect(back.body).toEqual(first.body);

    const last = await rest('GET', '/api/2/hooks?limit=2&page=3');
    expect(last.body).toHaveLength(1);
    expect(header(last, 'after-cursor')).toBeNull();
    expect(await rest('GET', '/api/2/hooks?cursor=garbage')).toMatchObject({ status: 422, body: { message: expect.stringMatching(/^instance\.cursor /) } });
  });
});

describe('OneLogin env vars: /api/2/hooks/envs', async () => {
  const { app, rest, expectStatus } = await restTestApp();

  it('creates (201), lists, reads, changes the value (PUT), and deletes (204); values never come back', async () => {
    const created = await expectStatus(201, 'POST', '/api/2/hooks/envs', { body: { name: 'API_KEY', value: 'env-value-1' } });
    expect(created).toEqual({ id: 'API_KEY', name: 'API_KEY', created_at: expect.any(String), updated_at: expect.any(String) });
    expect(await rest('POST', '/api/2/hooks/envs', { body: { name: 'API_KEY', value: 'x' } })).toMatchObject({ status: 409, body: { name: 'ConflictError' } });
    expect(await expectStatus(200, 'GET', '/api/2/hooks/envs')).toEqual([created]);
    expect(await expectStatus(200, 'GET', '/api/2/hooks/envs/API_KEY')).toEqual(created);

    const changed = await expectStatus(200, 'PUT', '/api/2/hooks/envs/API_KEY', { body: { value: 'env-value-2' } });
    expect(changed).toMatchObject({ id: 'API_KEY', name: 'API_KEY', created_at: created.created_at });
    expect(app.services.secrets.envVarValues(app.services.tokens.authenticate(app.adminToken).tenantId, ['API_KEY'])).toEqual({ API_KEY: 'env-value-2' });
    expect(await rest('PUT', '/api/2/hooks/envs/API_KEY', { body: { name: 'OTHER', value: 'v' } })).toMatchObject({
      status: 422,
      body: { name: 'UnprocessableEntityError', message: 'instance.name Additional property not allowed' },
    });
    expect(await rest('PUT', '/api/2/hooks/envs/MISSING', { body: { value: 'v' } })).toMatchObject({ status: 404, body: { message: 'Environment variable not found' } });
    expect(await rest('POST', '/api/2/hooks/envs', { body: { name: '1BAD', value: 'v' } })).toMatchObject({ status: 422, body: { message: expect.stringMatching(/^instance\.name /) } });

    for (const path of ['/api/2/hooks/envs', '/api/2/hooks/envs/API_KEY']) {
      expect(JSON.stringify((await rest('GET', path)).body)).not.toContain('env-value');
    }
    expect(await rest('DELETE', '/api/2/hooks/envs/API_KEY')).toMatchObject({ status: 204 });
    expect(await rest('GET', '/api/2/hooks/envs/API_KEY')).toMatchObject({ status: 404 });
    expect(await rest('DELETE', '/api/2/hooks/envs/API_KEY')).toMatchObject({ status: 404 });
  });
});

describe('OneLogin hook logs: /api/2/hooks/{id}/logs', async () => {
  const { app, rest, expectStatus } = await restTestApp();
  const hook = await expectStatus(201, 'POST', '/api/2/hooks', { body: { type: 'user-migration', function: base64(SCRIPT), disabled: false } });
  const globalId = Buffer.from(`Hook:${hook.id}`).toString('base64');
  const payload = (correlation: string) => ({ user_identifier: 'jane', password: 'pw-never-logged', correlation_id: correlation, user: { id: 7 } });
  const firstRun = await runHook(app, { hookId: globalId, payload: payload('corr-1') });
  const secondRun = await runHook(app, { hookId: globalId, payload: payload('corr-2') });
  const executionId = (run: { id: string }) => Buffer.from(run.id, 'base64').toString().split(':')[1];

  it('answers the stored executions, newest first, with their console lines', async () => {
    const logs = await expectStatus(200, 'GET', `/api/2/hooks/${hook.id}/logs`);
    expect(logs).toEqual([
      { request_id: executionId(secondRun), correlation_id: 'corr-2', created_at: expect.any(String), events: ['checking 7'] },
      { request_id: executionId(firstRun), correlation_id: 'corr-1', created_at: expect.any(String), events: ['checking 7'] },
    ]);
  });

  it('filters by request_id and correlation_id; an unknown hook is 404; reading needs read:executions', async () => {
    expect((await expectStatus(200, 'GET', `/api/2/hooks/${hook.id}/logs?correlation_id=corr-1`)).map((log: { request_id: string }) => log.request_id)).toEqual([
      executionId(firstRun),
    ]);
    expect((await expectStatus(200, 'GET', `/api/2/hooks/${hook.id}/logs?request_id=${executionId(secondRun)}`))[0].correlation_id).toBe('corr-2');
    expect(await expectStatus(200, 'GET', `/api/2/hooks/${hook.id}/logs?request_id=unknown`)).toEqual([]);
    expect(await rest('GET', '/api/2/hooks/unknown/logs')).toMatchObject({ status: 404 });
    const reader = tokenWithScopes(app, ['read:hooks']);
    expect(await rest('GET', `/api/2/hooks/${hook.id}/logs`, { token: reader })).toMatchObject({ status: 403, body: { name: 'ForbiddenError' } });
  });
});

describe('OneLogin status', () => {
  it('maps the hook’s status: ready, or create-… before its first change and update-… after', () => {
    const made = { createdAt: 1000, updatedAt: 1000 };
    const changed = { createdAt: 1000, updatedAt: 2000 };
    expect(statusOf({ ...made, status: 'READY' })).toBe('ready');
    expect(statusOf({ ...changed, status: 'READY' })).toBe('ready');
    expect(statusOf({ ...made, status: 'QUEUED' })).toBe('create-queued');
    expect(statusOf({ ...made, status: 'BUILDING' })).toBe('create-running');
    expect(statusOf({ ...made, status: 'FAILED' })).toBe('create-failed');
    expect(statusOf({ ...changed, status: 'QUEUED' })).toBe('update-queued');
    expect(statusOf({ ...changed, status: 'BUILDING' })).toBe('update-running');
    expect(statusOf({ ...changed, status: 'FAILED' })).toBe('update-failed');
  });
});
