import { describe, expect, it } from 'vitest';
import { CREATE_HOOK, createHook, createTestApp, sample } from './helpers.ts';

const METADATA = sample('auth0-pre-user-registration-metadata.js');
const ONELOGIN = sample('onelogin-pre-authentication.js');
const ONELOGIN_B64 = sample('onelogin-pre-authentication.b64').trim();

const HOOK_FIELDS = `id name triggerId script enabled timeoutMs retries conditions { source operator value }
  options envVarNames contextVersion status version createdAt updatedAt trigger { id }
  versions { version script } secrets { name updatedAt }`;

describe('hooks', () => {
  it('creates a hook from the Auth0 sample and reads it back', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'Add metadata', triggerId: 'pre-user-registration', script: METADATA });
    const { hook: read } = await app.ok(`query($id: ID!) { hook(id: $id) { ${HOOK_FIELDS} } }`, { id: hook.id });
    expect(read).toMatchObject({
      name: 'Add metadata',
      triggerId: 'pre-user-registration',
      script: METADATA,
      enabled: true,
      retries: 0,
      conditions: [],
      envVarNames: [],
      status: 'READY',
      version: 1,
      trigger: { id: 'pre-user-registration' },
      versions: [{ version: 1, script: METADATA }],
      secrets: [],
    });
    expect(read.timeoutMs).toBeGreaterThan(0);
    expect(Date.parse(read.createdAt)).not.toBeNaN();
  });

  it('accepts OneLogin’s base64 function with its options, env vars and conditions', async () => {
    const app = createTestApp();
    const hook = await createHook(app, {
      name: 'pre-auth',
      triggerId: 'pre-authentication',
      scriptBase64: ONELOGIN_B64,
      retries: 2,
      options: { risk_enabled: true },
      envVarNames: ['API_KEY'],
      conditions: [{ source: 'roles', operator: '~', value: '123456' }],
      contextVersion: '1.0.0',
    });
    const { hook: read } = await app.ok(`query($id: ID!) { hook(id: $id) { ${HOOK_FIELDS} } }`, { id: hook.id });
    expect(read.script).toBe(ONELOGIN);
    expect(read).toMatchObject({
      retries: 2,
      envVarNames: ['API_KEY'],
      conditions: [{ source: 'roles', operator: '~', value: '123456' }],
      contextVersion: '1.0.0',
    });
    expect(read.options.risk_enabled).toBe(true);
  });

  it('rejects bad input with typed errors naming the field', async () => {
    const app = createTestApp();
    const base = { name: 'ok-name', triggerId: 'pre-user-registration', script: METADATA };
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ ...base, name: '-bad name-' }, { __typename: 'ValidationError', field: 'input.name' }],
      [{ ...base, triggerId: 'post-login' }, { __typename: 'UnknownTriggerError' }],
      [{ ...base, script: undefined, scriptBase64: 'not base64!' }, { __typename: 'InvalidBase64Error' }],
      [{ ...base, script: undefined, scriptBase64: 'YWJj=' }, { __typename: 'InvalidBase64Error' }],
      [{ ...base, script: undefined }, { __typename: 'ValidationError', field: 'input.script' }],
      [{ ...base, scriptBase64: ONELOGIN_B64 }, { __typename: 'ValidationError', field: 'input.scriptBase64' }],
      [{ ...base, retries: 5 }, { __typename: 'ValidationError', field: 'input.retries' }],
      [{ ...base, timeoutMs: 10_000_000 }, { __typename: 'ValidationError', field: 'input.timeoutMs' }],
      [{ ...base, envVarNames: ['1BAD'] }, { __typename: 'ValidationError', field: 'input.envVarNames.0' }],
      [{ ...base, options: { nope: true } }, { __typename: 'ValidationError', field: 'input.options.nope' }],
      [{ ...base, conditions: [{ source: 'groups', operator: '~', value: '1' }] }, { __typename: 'ValidationError', field: 'input.conditions.0.source' }],
    ];
    for (const [input, expected] of cases) {
      const data = await app.ok(CREATE_HOOK, { input });
      expect(data.createHook, JSON.stringify(input)).toMatchObject(expected);
      expect(data.createHook.message.length).toBeGreaterThan(0);
    }
    expect((await app.ok(`{ hooks(first: 50) { edges { node { id } } } }`)).hooks.edges).toEqual([]);
  });

  it('rejects a script that does not compile, with its line and column', async () => {
    const app = createTestApp();
    const script = 'module.exports = function (user, context, cb) {\n  var x = ;\n  cb(null, {});\n};';
    const data = await app.ok(CREATE_HOOK, { input: { name: 'broken', triggerId: 'pre-user-registration', script } });
    expect(data.createHook).toMatchObject({ __typename: 'ScriptSyntaxError', line: 2, column: 11 });
    expect(data.createHook.message).toMatch(/Unexpected token/);
    const esm = await app.ok(CREATE_HOOK, {
      input: { name: 'esm', triggerId: 'pre-user-registration', script: "import fs from 'fs';\nexport default 1" },
    });
    expect(esm.createHook).toMatchObject({ __typename: 'ScriptSyntaxError', line: 1 });
  });

  it('keeps names unique per tenant with a typed conflict', async () => {
    const app = createTestApp();
    await createHook(app, { name: 'same', triggerId: 'pre-user-registration', script: METADATA });
    const again = await app.ok(CREATE_HOOK, { input: { name: 'same', triggerId: 'post-user-registration', script: METADATA } });
    expect(again.createHook.__typename).toBe('NameTakenError');
    const other = await createHook(app, { name: 'other', triggerId: 'post-user-registration', script: METADATA });
    const rename = await app.ok(
      `mutation($id: ID!) { updateHook(input: {id: $id, name: "same"}) { __typename ... on NameTakenError { field value } } }`,
      { id: other.id },
    );
    expect(rename.updateHook).toEqual({ __typename: 'NameTakenError', field: 'input.name', value: 'same' });
  });

  it('enables a new hook only when its trigger has room, and names the enabled hook past the limit', async () => {
    const app = createTestApp();
    const first = await createHook(app, { name: 'first', triggerId: 'pre-user-registration', script: METADATA });
    const second = await createHook(app, { name: 'second', triggerId: 'pre-user-registration', script: METADATA });
    expect(first.enabled).toBe(true);
    expect(second.enabled).toBe(false);

    const forced = await app.ok(CREATE_HOOK, {
      input: { name: 'third', triggerId: 'pre-user-registration', script: METADATA, enabled: true },
    });
    expect(forced.createHook).toMatchObject({ __typename: 'EnabledHookLimitError', enabledHookName: 'first' });
    expect(forced.createHook.message).toContain('"first"');

    const ENABLE = `mutation($id: ID!, $on: Boolean!) { updateHook(input: {id: $id, enabled: $on}) {
      __typename ... on UpdateHookSuccess { hook { enabled } } ... on EnabledHookLimitError { enabledHookId enabledHookName } } }`;
    const blocked = await app.ok(ENABLE, { id: second.id, on: true });
    expect(blocked.updateHook).toMatchObject({ __typename: 'EnabledHookLimitError', enabledHookName: 'first' });
    await app.ok(ENABLE, { id: first.id, on: false });
    expect((await app.ok(ENABLE, { id: second.id, on: true })).updateHook.hook.enabled).toBe(true);
    const filtered = await app.ok(`{ hooks(first: 10, filter: {triggerId: "pre-user-registration", enabled: true}) { edges { node { name } } } }`);
    expect(filtered.hooks.edges.map((e: any) => e.node.name)).toEqual(['second']);
  });

  it('makes a version per script change and rolls back into a new version', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'versioned', triggerId: 'pre-user-registration', script: METADATA });
    const v2 = 'module.exports = function (user, context, cb) { cb(null, { user: {} }) }';
    const UPDATE = `mutation($input: UpdateHookInput!) { updateHook(input: $input) { __typename ... on UpdateHookSuccess { hook { version script } } } }`;
    expect((await app.ok(UPDATE, { input: { id: hook.id, script: v2 } })).updateHook.hook).toEqual({ version: 2, script: v2 });
    // A change that leaves the script alone makes no version.
    expect((await app.ok(UPDATE, { input: { id: hook.id, retries: 1, script: v2 } })).updateHook.hook.version).toBe(2);
    const rolled = await app.ok(
      `mutation($id: ID!) { rollbackHook(input: {hookId: $id, version: 1}) { __typename ... on RollbackHookSuccess { hook { version script versions { version script } } } } }`,
      { id: hook.id },
    );
    expect(rolled.rollbackHook.hook).toEqual({
      version: 3,
      script: METADATA,
      versions: [
        { version: 3, script: METADATA },
        { version: 2, script: v2 },
        { version: 1, script: METADATA },
      ],
    });
    const missing = await app.ok(`mutation($id: ID!) { rollbackHook(input: {hookId: $id, version: 9}) { __typename } }`, { id: hook.id });
    expect(missing.rollbackHook.__typename).toBe('NotFoundError');
  });

  it('pages hooks with cursors and filters by name', async () => {
    const app = createTestApp();
    for (const name of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
      await createHook(app, { name, triggerId: 'post-user-registration', script: METADATA });
    }
    const PAGE = `query($after: String) { hooks(first: 2, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const data: any = await app.ok(PAGE, { after });
      names.push(...data.hooks.edges.map((e: any) => e.node.name));
      if (!data.hooks.pageInfo.hasNextPage) break;
      after = data.hooks.pageInfo.endCursor;
    }
    expect(names).toEqual(['epsilon', 'delta', 'gamma', 'beta', 'alpha']);
    const byName = await app.ok(`{ hooks(first: 10, filter: {nameContains: "LT"}) { edges { node { name } } } }`);
    expect(byName.hooks.edges.map((e: any) => e.node.name)).toEqual(['delta']);
  });

  it('deletes a hook', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'gone', triggerId: 'pre-user-registration', script: METADATA });
    const deleted = await app.ok(`mutation($id: ID!) { deleteHook(input: {id: $id}) { __typename ... on DeleteHookSuccess { deletedHookId } } }`, {
      id: hook.id,
    });
    expect(deleted.deleteHook.deletedHookId).toBe(hook.id);
    expect((await app.ok(`query($id: ID!) { hook(id: $id) { id } }`, { id: hook.id })).hook).toBeNull();
  });
});
