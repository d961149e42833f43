import { describe, expect, it } from 'vitest';
import { createHook, createTenant, createTestApp } from './helpers.ts';

const VIEWER = `{ viewer { tenant { name } scopes } }`;
const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { __typename ... on CreateApiTokenSuccess { token apiToken { id scopes prefix } } ... on ValidationError { field message } }
}`;

describe('tenants and tokens', () => {
  it('tells a token its tenant and scopes', async () => {
    const app = createTestApp();
    const data = await app.ok(VIEWER);
    expect(data.viewer.tenant.name).toBe('default');
    expect(data.viewer.scopes).toEqual(expect.arrayContaining(['*', 'manage:tenants', 'read:hooks']));
  });

  it('answers 401 UNAUTHENTICATED without a token, with an unknown token and with a revoked one', async () => {
    const app = createTestApp();
    const none = await app.gql(VIEWER, {}, null);
    expect(none.status).toBe(401);
    expect(none.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const unknown = await app.gql(VIEWER, {}, 'hg_not-a-real-token');
    expect(unknown.status).toBe(401);
    expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const created = await app.ok(CREATE_TOKEN, { input: { name: 'ci', scopes: ['READ_HOOKS'] } });
    const { token, apiToken } = created.createApiToken;
    expect((await app.ok(VIEWER, {}, token)).viewer.scopes).toEqual(['read:hooks']);
    const revoked = await app.ok(
      `mutation($id: ID!) { revokeApiToken(input: {id: $id}) { __typename ... on RevokeApiTokenSuccess { apiToken { revokedAt } } } }`,
      { id: apiToken.id },
    );
    expect(revoked.revokeApiToken.apiToken.revokedAt).toBeTruthy();
    const after = await app.gql(VIEWER, {}, token);
    expect(after.status).toBe(401);
    expect(after.errors?.[0].message).toMatch(/revoked/);
  });

  it('says how the Authorization header must read when it is not a bearer token', async () => {
    const app = createTestApp();
    const response = await app.yoga.fetch('http://hookgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: app.adminToken },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({ message: expect.stringContaining('Bearer <token>'), extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('answers BAD_USER_INPUT for a malformed global id', async () => {
    const app = createTestApp();
    const result = await app.gql(`{ hook(id: "nope") { id } }`);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(result.errors?.[0].message).toMatch(/global ID/i);
  });

  it('answers FORBIDDEN when the token lacks the scope', async () => {
    const app = createTestApp();
    const { token } = (await app.ok(CREATE_TOKEN, { input: { name: 'reader', scopes: ['READ_HOOKS'] } })).createApiToken;
    const result = await app.gql(
      `mutation { createHook(input: {name: "x", triggerId: "pre-user-registration", script: "module.exports = function (u, c, cb) { cb(null, {}) }"}) { __typename } }`,
      {},
      token,
    );
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0].message).toMatch(/create:hooks/);
    const tokens = await app.gql(`{ apiTokens(first: 5) { edges { node { id } } } }`, {}, token);
    expect(tokens.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('stores tokens only as hashes and lists them without the token', async () => {
    const app = createTestApp();
    const { token } = (await app.ok(CREATE_TOKEN, { input: { name: 'ci', scopes: ['RUN_HOOKS'] } })).createApiToken;
    const rows = app.db.$client.prepare('select * from api_tokens').all();
    expect(JSON.stringify(rows)).not.toContain(token);
    const listed = await app.ok(`{ apiTokens(first: 10) { edges { node { name prefix scopes } } } }`);
    expect(listed.apiTokens.edges.map((e: any) => e.node.name)).toEqual(['ci', 'admin']);
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it('refuses to grant scopes the caller does not hold', async () => {
    const app = createTestApp();
    const { token } = (await app.ok(CREATE_TOKEN, { input: { name: 'tm', scopes: ['MANAGE_TOKENS'] } })).createApiToken;
    const result = await app.ok(CREATE_TOKEN, { input: { name: 'escalate', scopes: ['ALL'] } }, token);
    expect(result.createApiToken).toMatchObject({ __typename: 'ValidationError', field: 'input.scopes' });
  });

  it('creates tenants with an admin token that cannot create tenants', async () => {
    const app = createTestApp();
    const token = await createTenant(app, 'acme');
    const viewer = (await app.ok(VIEWER, {}, token)).viewer;
    expect(viewer.tenant.name).toBe('acme');
    expect(viewer.scopes).toContain('*');
    expect(viewer.scopes).not.toContain('manage:tenants');
    const again = await app.gql(`mutation { createTenant(input: {name: "other"}) { __typename } }`, {}, token);
    expect(again.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const duplicate = await app.ok(`mutation { createTenant(input: {name: "acme"}) { __typename ... on NameTakenError { field } } }`);
    expect(duplicate.createTenant).toEqual({ __typename: 'NameTakenError', field: 'input.name' });
  });

  it('never shows one tenant the records of another', async () => {
    const app = createTestApp();
    const other = await createTenant(app, 'other');
    const hook = await createHook(app, {
      name: 'mine',
      triggerId: 'pre-user-registration',
      script: 'module.exports = function (user, context, cb) { cb(null, {}) }',
    });
    const read = await app.ok(`query($id: ID!) { hook(id: $id) { id } node(id: $id) { id } }`, { id: hook.id }, other);
    expect(read).toEqual({ hook: null, node: null });
    expect((await app.ok(`{ hooks(first: 10) { edges { node { id } } } }`, {}, other)).hooks.edges).toEqual([]);

    const mutations: [string, string][] = [
      ['updateHook', `mutation($id: ID!) { updateHook(input: {id: $id, name: "stolen"}) { __typename } }`],
      ['deleteHook', `mutation($id: ID!) { deleteHook(input: {id: $id}) { __typename } }`],
      ['rollbackHook', `mutation($id: ID!) { rollbackHook(input: {hookId: $id, version: 1}) { __typename } }`],
      ['setHookSecrets', `mutation($id: ID!) { setHookSecrets(input: {hookId: $id, secrets: [{name: "A", value: "b"}]}) { __typename } }`],
      ['deleteHookSecrets', `mutation($id: ID!) { deleteHookSecrets(input: {hookId: $id, names: ["A"]}) { __typename } }`],
    ];
    for (const [field, mutation] of mutations) {
      const data = await app.ok(mutation, { id: hook.id }, other);
      expect(data[field].__typename, field).toBe('NotFoundError');
    }
    const adminTokens = await app.ok(`{ apiTokens(first: 10) { edges { node { id } } } }`);
    const revoke = await app.ok(
      `mutation($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }`,
      { id: adminTokens.apiTokens.edges[0].node.id },
      other,
    );
    expect(revoke.revokeApiToken.__typename).toBe('NotFoundError');
    // The owner still sees its hook unchanged.
    const mine = await app.ok(`query($id: ID!) { hook(id: $id) { name secrets { name } } }`, { id: hook.id });
    expect(mine.hook).toEqual({ name: 'mine', secrets: [] });
  });
});
