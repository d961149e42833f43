import { decodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp } from './helpers.ts';

const SCRIPT = 'module.exports = function (user, context, cb) { cb(null, {}) }';
const SET = `mutation($input: SetHookSecretsInput!) { setHookSecrets(input: $input) {
  __typename ... on Error { message } ... on ValidationError { field } ... on LimitExceededError { limit }
  ... on SetHookSecretsSuccess { hook { secrets { name updatedAt } } } } }`;

describe('secrets and env vars', () => {
  it('upserts and deletes hook secrets, listing names only and storing values encrypted', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'with-secrets', triggerId: 'pre-user-registration', script: SCRIPT });
    const value = 'sk_live_super_secret_value';
    const set = await app.ok(SET, { input: { hookId: hook.id, secrets: [{ name: 'TWILIO_KEY', value }, { name: 'API_URL', value: 'https://x' }] } });
    expect(set.setHookSecrets.hook.secrets.map((s: any) => s.name)).toEqual(['API_URL', 'TWILIO_KEY']);
    // Runs read them through a cache, which every write below must empty.
    const hookId = decodeGlobalID(hook.id).id;
    expect(app.services.secrets.hookSecretValues(hookId)).toEqual({ TWILIO_KEY: value, API_URL: 'https://x' });
    await app.ok(SET, { input: { hookId: hook.id, secrets: [{ name: 'TWILIO_KEY', value: 'rotated-value' }] } });

    const stored = JSON.stringify(app.db.$client.prepare('select * from hook_secrets').all());
    expect(stored).not.toContain(value);
    expect(stored).not.toContain('rotated-value');
    expect(app.services.secrets.hookSecretValues(decodeGlobalID(hook.id).id)).toEqual({ TWILIO_KEY: 'rotated-value', API_URL: 'https://x' });

    const deleted = await app.ok(
      `mutation($id: ID!) { deleteHookSecrets(input: {hookId: $id, names: ["API_URL"]}) { ... on DeleteHookSecretsSuccess { hook { secrets { name } } } } }`,
      { id: hook.id },
    );
    expect(deleted.deleteHookSecrets.hook.secrets).toEqual([{ name: 'TWILIO_KEY' }]);
    expect(app.services.secrets.hookSecretValues(hookId)).toEqual({ TWILIO_KEY: 'rotated-value' });
  });

  it('validates names and sizes and caps a hook at 50 secrets without partial writes', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'capped', triggerId: 'pre-user-registration', script: SCRIPT });
    const bad = await app.ok(SET, { input: { hookId: hook.id, secrets: [{ name: 'BAD-NAME', value: 'x' }] } });
    expect(bad.setHookSecrets).toMatchObject({ __typename: 'ValidationError', field: 'input.secrets.0.name' });
    const huge = await app.ok(SET, { input: { hookId: hook.id, secrets: [{ name: 'BIG', value: 'x'.repeat(10_001) }] } });
    expect(huge.setHookSecrets).toMatchObject({ __typename: 'ValidationError', field: 'input.secrets.0.value' });

    const fifty = Array.from({ length: 50 }, (_, i) => ({ name: `S${i}`, value: `v${i}` }));
    expect((await app.ok(SET, { input: { hookId: hook.id, secrets: fifty } })).setHookSecrets.hook.secrets).toHaveLength(50);
    expect(Object.keys(app.services.secrets.hookSecretValues(decodeGlobalID(hook.id).id))).toHaveLength(50);
    const oneMore = await app.ok(SET, { input: { hookId: hook.id, secrets: [{ name: 'S50', value: 'x' }, { name: 'S0', value: 'changed' }] } });
    expect(oneMore.setHookSecrets).toMatchObject({ __typename: 'LimitExceededError', limit: 50 });
    expect(app.services.secrets.hookSecretValues(decodeGlobalID(hook.id).id).S0).toBe('v0');
  });

  it('sets, lists and deletes tenant env vars without ever returning a value', async () => {
    const app = createTestApp();
    const set = await app.ok(`mutation { setEnvVar(input: {name: "API_KEY", value: "abc123secret"}) { __typename ... on SetEnvVarSuccess { envVar { name updatedAt } } } }`);
    expect(set.setEnvVar.envVar.name).toBe('API_KEY');
    const listed = await app.ok(`{ envVars { name updatedAt } }`);
    expect(listed.envVars.map((v: any) => v.name)).toEqual(['API_KEY']);
    expect(JSON.stringify(listed)).not.toContain('abc123secret');
    expect(JSON.stringify(app.db.$client.prepare('select * from env_vars').all())).not.toContain('abc123secret');
    const tenantId = app.db.$client.prepare('select id from tenants').get() as { id: string };
    expect(app.services.secrets.envVarValues(tenantId.id, ['API_KEY', 'OTHER'])).toEqual({ API_KEY: 'abc123secret' });

    const bad = await app.ok(`mutation { setEnvVar(input: {name: "1X", value: "v"}) { __typename ... on ValidationError { field } } }`);
    expect(bad.setEnvVar).toEqual({ __typename: 'ValidationError', field: 'input.name' });
    const del = await app.ok(`mutation { deleteEnvVar(input: {name: "API_KEY"}) { __typename } }`);
    expect(del.deleteEnvVar.__typename).toBe('DeleteEnvVarSuccess');
    const again = await app.ok(`mutation { deleteEnvVar(input: {name: "API_KEY"}) { __typename } }`);
    expect(again.deleteEnvVar.__typename).toBe('NotFoundError');
  });

  it('offers no field that could return a secret value', async () => {
    const app = createTestApp();
    const types = await app.ok(`{ __schema { types { name fields { name } } } }`);
    for (const type of types.__schema.types.filter((t: any) => ['HookSecret', 'EnvVar'].includes(t.name))) {
      expect(type.fields.map((f: any) => f.name)).not.toContain('value');
    }
  });
});
