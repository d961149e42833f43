/**
 * The authorization matrix: every operation × {no token, revoked token, token without the
 * scope, token of another tenant, token with exactly the scope}, each cell's exact outcome.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../src/services/auth.ts';
import { CountingEventTarget, createHook, createTenant, createTestApp, runHook, waitFor, type GqlResult, type TestApp } from './helpers.ts';

const SCRIPT = 'module.exports = function (user, context, cb) { console.log("hello"); cb(null, {}) }';

interface Fixture {
  hookId: string;
  executionId: string;
  tokenId: string;
}

interface Row {
  operation: string;
  scope: Scope;
  /** The document and variables; `setup` makes fresh targets for operations that consume them. */
  request: (f: Fixture) => { query: string; variables?: Record<string, unknown> };
  otherTenant: (result: GqlResult, f: Fixture) => void;
  right: (result: GqlResult, f: Fixture) => void;
  subscription?: boolean;
  /** Any valid token may call it: there is no scope to lack. */
  anyToken?: boolean;
}

const dataOf = (result: GqlResult) => {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
};
const typename = (field: string, expected: string) => (result: GqlResult) => expect(dataOf(result)[field].__typename).toBe(expected);
const notFound = (field: string) => typename(field, 'NotFoundError');
const isNull = (field: string) => (result: GqlResult) => expect(dataOf(result)[field]).toBeNull();

// The default tenant's and the other tenant's runs made while an executionUpdated subscription listened.
const lastRuns = { mine: '', sentinel: '' };
const sentinelRuns: string[] = [];
let sentinelHookId = '';

const rows: Row[] = [
  {
    operation: 'viewer',
    scope: 'read:hooks',
    anyToken: true,
    request: () => ({ query: '{ viewer { tenant { name } } }' }),
    otherTenant: (r) => expect(dataOf(r).viewer.tenant.name).toBe('other'),
    right: (r) => expect(dataOf(r).viewer.tenant.name).toBe('default'),
  },
  { operation: 'triggers', scope: 'read:hooks', request: () => ({ query: '{ triggers { id } }' }), otherTenant: (r) => expect(dataOf(r).triggers).toHaveLength(7), right: (r) => expect(dataOf(r).triggers).toHaveLength(7) },
  {
    operation: 'trigger',
    scope: 'read:hooks',
    request: () => ({ query: '{ trigger(id: "pre-user-registration") { id } }' }),
    otherTenant: (r) => expect(dataOf(r).trigger.id).toBe('pre-user-registration'),
    right: (r) => expect(dataOf(r).trigger.id).toBe('pre-user-registration'),
  },
  { operation: 'hooks', scope: 'read:hooks', request: () => ({ query: '{ hooks(first: 5) { edges { node { id } } } }' }), otherTenant: (r) => expect(dataOf(r).hooks.edges.map((e: any) => e.node.id)).toEqual([sentinelHookId]), right: (r) => expect(dataOf(r).hooks.edges.length).toBeGreaterThan(0) },
  {
    operation: 'hook',
    scope: 'read:hooks',
    request: (f) => ({ query: 'query($id: ID!) { hook(id: $id) { id } }', variables: { id: f.hookId } }),
    otherTenant: isNull('hook'),
    right: (r, f) => expect(dataOf(r).hook.id).toBe(f.hookId),
  },
  {
    operation: 'node',
    scope: 'read:hooks',
    request: (f) => ({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: f.hookId } }),
    otherTenant: isNull('node'),
    right: (r, f) => expect(dataOf(r).node.id).toBe(f.hookId),
  },
  { operation: 'envVars', scope: 'read:hooks', request: () => ({ query: '{ envVars { name } }' }), otherTenant: (r) => expect(dataOf(r).envVars).toEqual([]), right: (r) => expect(dataOf(r).envVars).toEqual([{ name: 'API_KEY' }]) },
  { operation: 'apiTokens', scope: 'manage:tokens', request: () => ({ query: '{ apiTokens(first: 50) { edges { node { name } } } }' }), otherTenant: (r) => expect(dataOf(r).apiTokens.edges.map((e: any) => e.node.name)).not.toContain('target'), right: (r) => expect(dataOf(r).apiTokens.edges.map((e: any) => e.node.name)).toContain('target') },
  { operation: 'executions', scope: 'read:executions', request: () => ({ query: '{ executions(first: 5) { edges { node { id } } } }' }), otherTenant: (r) => expect(dataOf(r).executions.edges.map((e: any) => e.node.id).filter((id: string) => !sentinelRuns.includes(id))).toEqual([]), right: (r) => expect(dataOf(r).executions.edges.length).toBeGreaterThan(0) },
  {
    operation: 'execution',
    scope: 'read:executions',
    request: (f) => ({ query: 'query($id: ID!) { execution(id: $id) { id } }', variables: { id: f.executionId } }),
    otherTenant: isNull('execution'),
    right: (r, f) => expect(dataOf(r).execution.id).toBe(f.executionId),
  },
  {
    operation: 'createHook',
    scope: 'create:hooks',
    request: () => ({ query: `mutation($s: String!) { createHook(input: {name: "new-${Math.random().toString(36).slice(2)}", triggerId: "send-phone-message", script: $s}) { __typename } }`, variables: { s: SCRIPT } }),
    otherTenant: typename('createHook', 'CreateHookSuccess'),
    right: typename('createHook', 'CreateHookSuccess'),
  },
  { operation: 'updateHook', scope: 'update:hooks', request: (f) => ({ query: 'mutation($id: ID!) { updateHook(input: {id: $id, retries: 1}) { __typename } }', variables: { id: f.hookId } }), otherTenant: notFound('updateHook'), right: typename('updateHook', 'UpdateHookSuccess') },
  { operation: 'rollbackHook', scope: 'update:hooks', request: (f) => ({ query: 'mutation($id: ID!) { rollbackHook(input: {hookId: $id, version: 1}) { __typename } }', variables: { id: f.hookId } }), otherTenant: notFound('rollbackHook'), right: typename('rollbackHook', 'RollbackHookSuccess') },
  {
    operation: 'setHookSecrets',
    scope: 'update:hooks',
    request: (f) => ({ query: 'mutation($id: ID!) { setHookSecrets(input: {hookId: $id, secrets: [{name: "K", value: "value-1"}]}) { __typename } }', variables: { id: f.hookId } }),
    otherTenant: notFound('setHookSecrets'),
    right: typename('setHookSecrets', 'SetHookSecretsSuccess'),
  },
  {
    operation: 'deleteHookSecrets',
    scope: 'update:hooks',
    request: (f) => ({ query: 'mutation($id: ID!) { deleteHookSecrets(input: {hookId: $id, names: ["K"]}) { __typename } }', variables: { id: f.hookId } }),
    otherTenant: notFound('deleteHookSecrets'),
    right: typename('deleteHookSecrets', 'DeleteHookSecretsSuccess'),
  },
  { operation: 'setEnvVar', scope: 'update:hooks', request: () => ({ query: 'mutation { setEnvVar(input: {name: "OTHER", value: "v-2"}) { __typename } }' }), otherTenant: typename('setEnvVar', 'SetEnvVarSuccess'), right: typename('setEnvVar', 'SetEnvVarSuccess') },
  // The other tenant has no API_KEY of its own: deleting "it" finds nothing, and ours stays.
  { operation: 'deleteEnvVar', scope: 'update:hooks', request: () => ({ query: 'mutation { deleteEnvVar(input: {name: "API_KEY"}) { __typename } }' }), otherTenant: notFound('deleteEnvVar'), right: typename('deleteEnvVar', 'DeleteEnvVarSuccess') },
  { operation: 'runHook', scope: 'run:hooks', request: (f) => ({ query: 'mutation($id: ID!) { runHook(input: {hookId: $id}) { __typename } }', variables: { id: f.hookId } }), otherTenant: notFound('runHook'), right: typename('runHook', 'RunHookSuccess') },
  {
    operation: 'startRun',
    scope: 'run:hooks',
    request: (f) => ({ query: 'mutation($id: ID!) { startRun(input: {hookId: $id}) { __typename ... on StartRunSuccess { execution { status } } } }', variables: { id: f.hookId } }),
    otherTenant: notFound('startRun'),
    // The answer comes while the run goes on.
    right: (r) => expect(dataOf(r).startRun).toEqual({ __typename: 'StartRunSuccess', execution: { status: 'RUNNING' } }),
  },
  {
    operation: 'dispatchTrigger',
    scope: 'run:hooks',
    request: () => ({ query: 'mutation { dispatchTrigger(input: {triggerId: "credentials-exchange", payload: {client: {id: "c"}, scope: [], audience: "a", context: {}}}) { ... on DispatchTriggerSuccess { outcome executions { id } } } }' }),
    // The other tenant's pipeline runs the other tenant's hooks: none.
    otherTenant: (r) => expect(dataOf(r).dispatchTrigger).toEqual({ outcome: 'ALLOW', executions: [] }),
    right: (r) => expect(dataOf(r).dispatchTrigger.executions).toHaveLength(1),
  },
  {
    operation: 'createApiToken',
    scope: 'manage:tokens',
    request: () => ({ query: 'mutation { createApiToken(input: {name: "made", scopes: [MANAGE_TOKENS]}) { __typename } }' }),
    otherTenant: typename('createApiToken', 'CreateApiTokenSuccess'),
    right: typename('createApiToken', 'CreateApiTokenSuccess'),
  },
  { operation: 'revokeApiToken', scope: 'manage:tokens', request: (f) => ({ query: 'mutation($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }', variables: { id: f.tokenId } }), otherTenant: notFound('revokeApiToken'), right: typename('revokeApiToken', 'RevokeApiTokenSuccess') },
  {
    operation: 'createTenant',
    scope: 'manage:tenants',
    request: () => ({ query: `mutation { createTenant(input: {name: "t-${Math.random().toString(36).slice(2)}"}) { __typename } }` }),
    // A tenant admin holds every scope but the operator's: the other tenant's token is refused.
    otherTenant: (r) => expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN'),
    right: typename('createTenant', 'CreateTenantSuccess'),
  },
  {
    operation: 'executionLogs',
    scope: 'read:executions',
    subscription: true,
    request: (f) => ({ query: 'subscription($id: ID!) { executionLogs(executionId: $id) { message } }', variables: { id: f.executionId } }),
    otherTenant: (r) => expect(r.errors?.[0].message).toMatch(/not found/),
    right: (r) => expect(dataOf(r).executionLogs.message).toBe('hello'),
  },
  {
    operation: 'executionUpdated',
    scope: 'read:executions',
    subscription: true,
    request: () => ({ query: 'subscription { executionUpdated { id status } }' }),
    // The first event the other tenant sees is its own sentinel run, which came after the default
    // tenant's run (see call()).
    otherTenant: (r) => expect(dataOf(r).executionUpdated).toEqual({ id: lastRuns.sentinel, status: 'RUNNING' }),
    right: (r) => expect(dataOf(r).executionUpdated).toEqual({ id: lastRuns.mine, status: 'RUNNING' }),
  },
];

describe('authorization matrix', () => {
  let app: TestApp;
  let target: CountingEventTarget;
  let otherToken: string;
  let revokedToken: string;

  async function tokenWith(scopes: readonly string[]) {
    const data = await app.ok(`mutation($s: [ApiScope!]!) { createApiToken(input: {name: "t", scopes: $s}) { ... on CreateApiTokenSuccess { token apiToken { id } } } }`, {
      s: scopes.map((s) => (s === '*' ? 'ALL' : s.replace(':', '_').toUpperCase())),
    });
    return data.createApiToken as { token: string; apiToken: { id: string } };
  }

  async function fixture(): Promise<Fixture> {
    const hook = await createHook(app, { name: `h-${Math.random().toString(36).slice(2)}`, triggerId: 'pre-user-registration', script: SCRIPT, enabled: false });
    const execution = await runHook(app, { hookId: hook.id });
    const token = await tokenWith(['read:hooks']);
    return { hookId: hook.id, executionId: execution.id, tokenId: token.apiToken.id };
  }

  /**
   * An operation over HTTP; a subscription over SSE, reading its first event. executionUpdated only
   * speaks when something changes: once the subscription has started, the default tenant's hook
   * runs, then the other tenant's sentinel, so every subscriber that may see anything sees an event.
   */
  async function call(row: Row, f: Fixture, token: string | null): Promise<GqlResult> {
    const { query, variables = {} } = row.request(f);
    if (!row.subscription) return app.gql(query, variables, token);
    const listenersBefore = target.listeners;
    const response = await app.yoga.fetch('http://hookgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const firstEvent = (async () => {
      // Skip keep-alive comments (`:`) until the first data event or the end of the stream.
      while (!/^data: /m.test(buffer)) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
      }
    })();
    if (row.operation === 'executionUpdated' && response.status === 200) {
      // A refused subscription answers at once, without starting: wait for either.
      let answered = false;
      void firstEvent.then(() => (answered = true));
      await waitFor(() => answered || target.listeners > listenersBefore);
      if (!answered) {
        lastRuns.mine = (await runHook(app, { hookId: f.hookId })).id;
        lastRuns.sentinel = (await runHook(app, { hookId: sentinelHookId }, otherToken)).id;
        sentinelRuns.push(lastRuns.sentinel);
      }
    }
    try {
      await firstEvent;
    } finally {
      void reader.cancel().catch(() => {});
    }
    const data = /^data: (.*)$/m.exec(buffer)?.[1];
    return data ? { status: response.status, ...JSON.parse(data) } : { status: response.status, data: 'no event' };
  }

  beforeAll(async () => {
    target = new CountingEventTarget();
    app = createTestApp({ eventTarget: target as never });
    otherToken = await createTenant(app, 'other');
    const sentinel = await createHook(app, { name: 'sentinel', triggerId: 'pre-user-registration', script: SCRIPT, enabled: false }, otherToken);
    sentinelHookId = sentinel.id;
    await app.ok(`mutation { setEnvVar(input: {name: "API_KEY", value: "secret-value"}) { __typename } }`);
    // The one enabled hook the default tenant's pipeline runs (dispatchTrigger's row).
    await createHook(app, { name: 'exchange', triggerId: 'credentials-exchange', script: 'module.exports = function (client, scope, audience, context, cb) { cb(null, {}) }' });
    await tokenWith(['read:hooks']).then(() => app.ok(`mutation { createApiToken(input: {name: "target", scopes: [READ_HOOKS]}) { __typename } }`));
    const revoked = await tokenWith(SCOPES);
    await app.ok(`mutation($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }`, { id: revoked.apiToken.id });
    revokedToken = revoked.token;
  });

  for (const row of rows) {
    it(`${row.operation} (${row.scope})`, async () => {
      const f = await fixture();
      const expectCode = (result: GqlResult, code: string, status?: number) => {
        expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result)).toBe(code);
        if (status) expect(result.status).toBe(status);
      };
      // Subscriptions too: checked before the stream starts, so the SSE answer itself is a 401.
      expectCode(await call(row, f, null), 'UNAUTHENTICATED', 401);
      expectCode(await call(row, f, revokedToken), 'UNAUTHENTICATED', 401);
      const weak = await tokenWith(SCOPES.filter((s) => s !== row.scope && s !== '*'));
      if (row.anyToken) row.right(await call(row, f, weak.token), f);
      else expectCode(await call(row, f, weak.token), 'FORBIDDEN');
      row.otherTenant(await call(row, f, otherToken), f);
      const exact = await tokenWith([row.scope]);
      row.right(await call(row, f, exact.token), f);
    });
  }
});
