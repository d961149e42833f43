import { ManagementClient, ManagementError } from 'auth0';
import { describe, expect, it } from 'vitest';
import { restTestApp } from './rest-helpers.ts';

const SCRIPT = 'module.exports = function (client, scope, audience, context, cb) { cb(null, { scope }); };';

/**
 * The real `auth0` SDK's management client against a listening hookgate: its base URL is always
 * https://<domain>/api/v2, so its fetch sends the same requests to 127.0.0.1 over HTTP.
 */
describe('auth0 SDK ManagementClient against hookgate', async () => {
  const { app, origin } = await restTestApp();
  const client = (token: string) =>
    new ManagementClient({
      domain: 'tenant.hookgate.test',
      token,
      maxRetries: 0,
      fetch: (url: string | URL | Request, init?: RequestInit) => fetch(String(url).replace('https://tenant.hookgate.test', origin), init),
    });
  const management = client(app.adminToken);

  it('creates, reads, lists, updates and deletes hooks', async () => {
    const created = await management.hooks.create({ name: 'sdk-hook', script: SCRIPT, triggerId: 'credentials-exchange', dependencies: { axios: '1.7.0' } });
    expect(created).toEqual({ id: expect.any(String), name: 'sdk-hook', script: SCRIPT, triggerId: 'credentials-exchange', enabled: true, dependencies: { axios: '1.7.0' } });
    const id = created.id!;
    expect(await management.hooks.get(id)).toEqual(created);

    const page = await management.hooks.list({ triggerId: 'credentials-exchange' });
    expect(page.data.map((hook) => hook.name)).toEqual(['sdk-hook']);

    const updated = await management.hooks.update(id, { name: 'sdk-hook-renamed', enabled: false });
    expect(updated).toMatchObject({ id, name: 'sdk-hook-renamed', enabled: false, script: SCRIPT });

    await management.hooks.delete(id);
    const missing = await management.hooks.get(id).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ManagementError);
    expect(missing).toMatchObject({ statusCode: 404, body: { message: 'Hook not found.' } });
  });

  it('adds, reads, updates and deletes hook secrets', async () => {
    const { id } = await management.hooks.create({ name: 'sdk-secrets', script: SCRIPT, triggerId: 'credentials-exchange' });
    await management.hooks.secrets.create(id!, { API_KEY: 'first-value', OTHER: 'other-value' });
    expect(await management.hooks.secrets.get(id!)).toEqual({ API_KEY: '_VALUE_NOT_SHOWN_', OTHER: '_VALUE_NOT_SHOWN_' });
    await management.hooks.secrets.update(id!, { API_KEY: 'second-value' });
    expect(app.services.secrets.hookSecretValues(id!)).toEqual({ API_KEY: 'second-value', OTHER: 'other-value' });
    await management.hooks.secrets.delete(id!, ['OTHER']);
    expect(await management.hooks.secrets.get(id!)).toEqual({ API_KEY: '_VALUE_NOT_SHOWN_' });

    const conflict = await management.hooks.secrets.create(id!, { API_KEY: 'again' }).catch((error: unknown) => error);
    expect(conflict).toMatchObject({ statusCode: 409, body: { error: 'Conflict' } });
  });

  it('surfaces a missing scope as the SDK’s ForbiddenError body', async () => {
    const admin = app.services.tokens.authenticate(app.adminToken);
    const { token } = app.services.tokens.create(admin, { name: 'reader', scopes: ['read:hooks'] });
    const refused = await client(token).hooks.create({ name: 'nope', script: SCRIPT, triggerId: 'credentials-exchange' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 403, body: { message: 'Insufficient scope; expected any of: create:hooks.' } });
  });
});
