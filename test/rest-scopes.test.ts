import { describe, expect, it } from 'vitest';
import { createHook } from './helpers.ts';
import { restTestApp, tokenWithScopes } from './rest-helpers.ts';

const SCRIPT = 'exports.handler = async (context) => ({ success: true, user: context.user });\n';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const forbidden = (scope: string) => ({ status: 403, body: { name: 'ForbiddenError', message: `This request needs the scope ${scope} (or Manage All: *)` } });

describe('OneLogin writes ask for their own scope first', async () => {
  const { app, rest, expectStatus } = await restTestApp();
  const creator = tokenWithScopes(app, ['create:hooks']);
  const reader = tokenWithScopes(app, ['read:hooks']);
  const updater = tokenWithScopes(app, ['update:hooks']);

  it('creates with create:hooks alone, one hook per type kept without read:hooks', async () => {
    const created = await expectStatus(201, 'POST', '/api/2/hooks', { token: creator, body: { type: 'pre-authentication', function: base64(SCRIPT) } });
    expect(created).toMatchObject({ type: 'pre-authentication', disabled: true });
    expect(app.services.hooks.find(app.services.tokens.authenticate(app.adminToken).tenantId, created.id).name).toBe('pre-authentication');
    const second = await rest('POST', '/api/2/hooks', { token: creator, body: { type: 'pre-authentication', function: base64(SCRIPT) } });
    expect(second).toMatchObject({ status: 409, body: { name: 'ConflictError', message: 'A pre-authentication hook already exists; only one of this type can be defined' } });
  });

  it('tells a read:hooks-only token it may not create, never whether a hook of the type exists', async () => {
    // A pre-authentication hook exists (above): the answer is 403 create:hooks, not 409.
    expect(await rest('POST', '/api/2/hooks', { token: reader, body: { type: 'pre-authentication', function: base64(SCRIPT) } })).toMatchObject(forbidden('create:hooks'));
    expect(await rest('POST', '/api/2/hooks', { token: reader, body: { type: 'user-migration', function: base64(SCRIPT) } })).toMatchObject(forbidden('create:hooks'));
  });

  it('numbers the name after its type when another hook holds it, still without read:hooks', async () => {
    await createHook(app, { name: 'user-migration', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' });
    const created = await expectStatus(201, 'POST', '/api/2/hooks', { token: creator, body: { type: 'user-migration', function: base64(SCRIPT) } });
    expect(app.services.hooks.find(app.services.tokens.authenticate(app.adminToken).tenantId, created.id).name).toBe('user-migration-2');
  });

  it('replaces with update:hooks alone, keeping the type and the timeout ceiling checks', async () => {
    const { id } = await expectStatus(200, 'GET', '/api/2/hooks?limit=1').then((hooks) => hooks[0]);
    expect(await expectStatus(200, 'PUT', `/api/2/hooks/${id}`, { token: updater, body: { timeout: 2 } })).toMatchObject({ id, timeout: 2 });
    expect(await rest('PUT', `/api/2/hooks/${id}`, { token: updater, body: { type: 'pre-user-registration' } })).toMatchObject({
      status: 422,
      body: { message: 'instance.type cannot change' },
    });
    expect(await rest('PUT', `/api/2/hooks/${id}`, { token: updater, body: { timeout: 11 } })).toMatchObject({
      status: 422,
      body: { message: 'instance.timeout must be less than or equal to 10' },
    });
    expect(await rest('PUT', '/api/2/hooks/unknown', { token: updater, body: { timeout: 2 } })).toMatchObject({ status: 404 });
    // A reader may not learn, by a PUT, whether an id exists.
    expect(await rest('PUT', `/api/2/hooks/${id}`, { token: reader, body: { timeout: 2 } })).toMatchObject(forbidden('update:hooks'));
    expect(await rest('PUT', '/api/2/hooks/unknown', { token: reader, body: { timeout: 2 } })).toMatchObject(forbidden('update:hooks'));
  });

  it('asks a read:hooks-only token for read:executions before looking the hook of /logs up', async () => {
    expect(await rest('GET', '/api/2/hooks/unknown/logs', { token: reader })).toMatchObject(forbidden('read:executions'));
    const executionsOnly = tokenWithScopes(app, ['read:executions']);
    expect(await rest('GET', '/api/2/hooks/unknown/logs', { token: executionsOnly })).toMatchObject(forbidden('read:hooks'));
  });
});
