import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHook, runHook, sample } from './helpers.ts';
import { restTestApp } from './rest-helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const globalId = (id: string) => Buffer.from(`Hook:${id}`).toString('base64');
const localId = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1]!;

interface Har {
  method: string;
  url: string;
  headers: { name: string; value: string }[];
  postData: { mimeType: string; text: string };
}

describe('the seeds’ requests, replayed byte for byte', async () => {
  const { app, origin, rest } = await restTestApp();
  const har = JSON.parse(fixture('auth0-create-hook.har.json')) as Har;

  /** The HAR request sent to hookgate, with the placeholders the docs say to replace replaced (or not). */
  async function sendHar(replace: Record<string, string>) {
    const fill = (text: string) => Object.entries(replace).reduce((out, [from, to]) => out.replaceAll(from, to), text);
    const url = new URL(har.url.replace('${account.namespace}', 'tenant.hookgate.test'));
    const response = await fetch(`${origin}${url.pathname}`, {
      method: har.method,
      headers: har.headers.map(({ name, value }) => [name, fill(value)] as [string, string]),
      body: fill(har.postData.text),
    });
    return { status: response.status, body: await response.json() };
  }

  it('Auth0 HAR: the documented request creates the hook (201) and answers the hook object', async () => {
    const script = sample('auth0-pre-user-registration-metadata.js');
    const created = await sendHar({
      MGMT_API_ACCESS_TOKEN: app.adminToken,
      HOOK_NAME: 'metadata hook',
      // The script goes inside the JSON string of the HAR's text: escaped as JSON escapes it.
      HOOK_SCRIPT: JSON.stringify(script).slice(1, -1),
      EXTENSIBILITY_POINT_NAME: 'pre-user-registration',
    });
    expect(created).toEqual({
      status: 201,
      body: { id: expect.any(String), name: 'metadata hook', script, triggerId: 'pre-user-registration', enabled: true, dependencies: {} },
    });
    const execution = await runHook(app, { hookId: globalId(created.body.id) });
    expect(execution).toMatchObject({ status: 'SUCCEEDED', response: { user: { app_metadata: { vip: true, score: 7 } } } });
  });

  it('Auth0 HAR as printed: the placeholder token is 401; placeholder values are a 400 naming the field', async () => {
    expect(await sendHar({})).toMatchObject({ status: 401, body: { statusCode: 401, error: 'Unauthorized' } });
    const placeholders = await sendHar({ MGMT_API_ACCESS_TOKEN: app.adminToken });
    expect(placeholders).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', errorCode: 'invalid_body' } });
    expect(placeholders.body.message).toMatch(/on property name\.$/);
    const unknownTrigger = await sendHar({ MGMT_API_ACCESS_TOKEN: app.adminToken, HOOK_NAME: 'a-name' });
    expect(unknownTrigger.body.message).toMatch(/on property triggerId\.$/);
  });

  it('OneLogin curl: the documented body creates the hook (201) with the documented fields; again is 409; bad base64 is the seed’s 422', async () => {
    const body = fixture('onelogin-create-hook.curl-body.json');
    const script = sample('onelogin-pre-authentication.js');
    // The sample's function is the real base64 of OneLogin's sample script.
    expect(JSON.parse(body).function).toBe(Buffer.from(script, 'utf8').toString('base64'));
    const curl = (text: string, token = app.adminToken) =>
      rest('POST', '/api/2/hooks', { body: text, authorization: `bearer ${token}`, headers: { 'Content-Type': 'application/json' } });

    const created = await curl(body);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      type: 'pre-authentication',
      function: JSON.parse(body).function,
      disabled: false,
      runtime: 'nodejs',
      retries: 0,
      timeout: 1,
      options: { risk_enabled: false, location_enabled: false, mfa_device_info_enabled: false },
      env_vars: [],
      packages: {},
      conditions: [{ source: 'roles', operator: '~', value: '123456' }],
      status: 'ready',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const execution = await runHook(app, { hookId: globalId(created.body.id), payload: { user: { id: 1, roles: ['123456'] } } });
    expect(execution).toMatchObject({ status: 'SUCCEEDED', response: { user: { id: 1 } } });

    expect(await curl(body)).toMatchObject({ status: 409, body: { name: 'ConflictError' } });
    expect(await curl(body, 'hg_not-the-token')).toEqual(
      expect.objectContaining({ status: 401, body: { message: 'Unauthorized', statusCode: 401, name: 'UnauthorizedError' } }),
    );
    await rest('DELETE', `/api/2/hooks/${created.body.id}`);
    const notBase64 = body.replace(/"function": "[^"]*"/, '"function": "exports.handler = async () => ({})"');
    expect(await curl(notBase64)).toEqual(
      expect.objectContaining({
        status: 422,
        body: {
          name: 'UnprocessableEntityError',
          message: 'instance.function does not match pattern "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"',
        },
      }),
    );
  });
});

const HOOK_FIELDS = `id name triggerId script enabled timeoutMs retries envVarNames options contextVersion version
  conditions { source operator value } secrets { name }`;

describe('one hook, three APIs', async () => {
  const { app, rest, expectStatus } = await restTestApp();
  const readGraphql = async (id: string) => (await app.ok(`query($id: ID!) { hook(id: $id) { ${HOOK_FIELDS} } }`, { id: globalId(id) })).hook;

  it('a hook created over Auth0 REST is the same hook in GraphQL and in OneLogin’s dialect', async () => {
    const script = 'module.exports = function (user, context, cb) { cb(null, {}); };';
    const created = await expectStatus(201, 'POST', '/api/v2/hooks', { body: { name: 'from-auth0', script, triggerId: 'pre-user-registration' } });
    await expectStatus(201, 'POST', `/api/v2/hooks/${created.id}/secrets`, { body: { API_KEY: 'k-value' } });
    await expectStatus(200, 'PATCH', `/api/v2/hooks/${created.id}`, { body: { script: `${script}\n` } });
    expect(await readGraphql(created.id)).toMatchObject({
      id: globalId(created.id),
      name: 'from-auth0',
      triggerId: 'pre-user-registration',
      script: `${script}\n`,
      enabled: true,
      version: 2,
      secrets: [{ name: 'API_KEY' }],
    });
    expect(await expectStatus(200, 'GET', `/api/2/hooks/${created.id}`)).toMatchObject({
      type: 'pre-user-registration',
      function: Buffer.from(`${script}\n`).toString('base64'),
      disabled: false,
    });
  });

  it('a hook created over OneLogin REST is the same hook in GraphQL', async () => {
    const script = 'exports.handler = async (context) => ({ success: true, user: context.user });';
    const created = await expectStatus(201, 'POST', '/api/2/hooks', {
      body: {
        type: 'pre-authentication',
        function: Buffer.from(script).toString('base64'),
        disabled: false,
        timeout: 2,
        retries: 1,
        env_vars: ['API_KEY'],
        options: { risk_enabled: true },
        conditions: [{ source: 'roles', operator: '!~', value: 'blocked' }],
        context_version: '1.0.0',
      },
    });
    expect(await readGraphql(created.id)).toMatchObject({
      name: 'pre-authentication',
      triggerId: 'pre-authentication',
      script,
      enabled: true,
      timeoutMs: 2000,
      retries: 1,
      envVarNames: ['API_KEY'],
      options: { risk_enabled: true, location_enabled: false, mfa_device_info_enabled: false },
      conditions: [{ source: 'roles', operator: '!~', value: 'blocked' }],
      contextVersion: '1.0.0',
    });
  });

  it('a hook created in GraphQL is read, changed and deleted over both REST dialects', async () => {
    const hook = await createHook(app, { name: 'from-graphql', triggerId: 'user-migration', script: 'exports.handler = async () => ({ success: false });', enabled: false });
    const id = localId(hook.id);
    expect(await expectStatus(200, 'GET', `/api/v2/hooks/${id}`)).toMatchObject({ id, name: 'from-graphql', triggerId: 'user-migration', enabled: false });
    expect(await expectStatus(200, 'GET', `/api/2/hooks/${id}`)).toMatchObject({ id, type: 'user-migration', disabled: true, timeout: 1, status: 'ready' });
    await expectStatus(200, 'PUT', `/api/2/hooks/${id}`, { body: { disabled: false } });
    expect((await readGraphql(id)).enabled).toBe(true);
    expect(await rest('DELETE', `/api/v2/hooks/${id}`)).toMatchObject({ status: 204 });
    expect((await app.ok(`query($id: ID!) { hook(id: $id) { id } }`, { id: hook.id })).hook).toBeNull();
  });
});
