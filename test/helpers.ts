import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDb } from '../src/db/client.ts';
import type { Clock } from '../src/lib/clock.ts';
import type { PackageBuilder } from '../src/packages/builder.ts';
import { createSecretBox } from '../src/lib/secret-box.ts';
import { createSandbox } from '../src/sandbox/index.ts';
import type { Sandbox } from '../src/sandbox/types.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/ops/logger.ts';
import type { EventsTarget } from '../src/services/events.ts';
import { createService } from '../src/service.ts';

let sharedSandbox: Sandbox | undefined;

/** One sandbox per test file: isolates are costly to build, and apps share them as in production. */
export function testSandbox(): Sandbox {
  if (!sharedSandbox) {
    const sandbox = createSandbox({ poolSize: 2, fetch: { allowHosts: ['127.0.0.1', 'localhost'] } });
    afterAll(() => sandbox.dispose());
    sharedSandbox = sandbox;
  }
  return sharedSandbox;
}

export interface GqlResult<T = any> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[];
}

/** A fresh app on a :memory: database with the default tenant and its admin token. */
export function createTestApp(
  options: {
    onQuery?: (sql: string) => void;
    eventTarget?: EventsTarget;
    runRateLimitPerMinute?: number;
    apiRateLimitPerMinute?: number;
    clock?: Clock;
    /** Builds hooks' npm packages (test/packages/); without it hooks cannot require packages. */
    packages?: PackageBuilder;
    /** The sandbox the services run hooks in; the file's shared one by default. */
    sandbox?: Sandbox;
  } = {},
) {
  const db = openDb(':memory:', options);
  const secretBox = createSecretBox(randomBytes(32));
  const app = createApp({
    db,
    secretBox,
    sandbox: options.sandbox ?? testSandbox(),
    eventTarget: options.eventTarget,
    runRateLimitPerMinute: options.runRateLimitPerMinute,
    apiRateLimitPerMinute: options.apiRateLimitPerMinute,
    clock: options.clock,
    packages: options.packages,
  });
  const { token: adminToken } = app.services.tenants.bootstrap()!;
  return { ...app, db, secretBox, adminToken, ...callers(app.yoga, adminToken) };
}

/** gql() and ok() over yoga.fetch, with the admin token unless told otherwise. */
function callers(yoga: ReturnType<typeof createApp>['yoga'], adminToken: string) {
  /** Runs an operation over HTTP through yoga.fetch. */
  async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token: string | null = adminToken) {
    const response = await yoga.fetch('http://hookgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GqlResult<T>;
    return { ...body, status: response.status };
  }

  /** Like gql, but fails with the query and the whole body when the answer has errors. */
  async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, token: string | null = adminToken) {
    const result = await gql<T>(query, variables, token);
    if (result.errors || result.status !== 200) {
      throw new Error(`Unexpected errors (HTTP ${result.status})\n${query}\n${JSON.stringify(variables)}\n${JSON.stringify(result, null, 2)}`);
    }
    return result.data;
  }

  return { gql, ok };
}

export type TestApp = ReturnType<typeof createTestApp>;

/** Creates a tenant through the API and returns its admin token. */
export async function createTenant(app: TestApp, name: string): Promise<string> {
  const data = await app.ok(
    `mutation($input: CreateTenantInput!) { createTenant(input: $input) { __typename ... on CreateTenantSuccess { token } } }`,
    { input: { name } },
  );
  return data.createTenant.token;
}

export const CREATE_HOOK = `mutation($input: CreateHookInput!) {
  createHook(input: $input) {
    __typename
    ... on Error { message }
    ... on CreateHookSuccess { hook { id name triggerId enabled version timeoutMs script } }
    ... on ValidationError { field }
    ... on ScriptSyntaxError { line column }
    ... on EnabledHookLimitError { enabledHookName }
  }
}`;

export async function createHook(app: TestApp, input: Record<string, unknown>, token = app.adminToken) {
  const data = await app.ok(CREATE_HOOK, { input }, token);
  if (data.createHook.__typename !== 'CreateHookSuccess') throw new Error(JSON.stringify(data.createHook));
  return data.createHook.hook as { id: string; name: string; enabled: boolean; version: number; triggerId: string };
}

/** A vendor sample script or payload from test/fixtures (copies of shared/samples). */
export const sample = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

export const RUN_HOOK = `mutation($input: RunHookInput!) {
  runHook(input: $input) {
    __typename
    ... on Error { message }
    ... on ScriptSyntaxError { line column }
    ... on RunHookSuccess { execution { ${EXECUTION_FIELDS()} } }
  }
}`;

export function EXECUTION_FIELDS() {
  return `id status source outcome attempts triggerId payload response effectiveResponse
    warnings { path reason } error { name message userMessage line } logsTruncated durationMs cpuTimeMs
    hookVersion { version } logs(first: 200) { edges { node { seq level message } } }`;
}

/** Runs a hook through the Runner and returns its execution (fails on a typed error). */
export async function runHook(app: TestApp, input: Record<string, unknown>, token = app.adminToken) {
  const data = await app.ok(RUN_HOOK, { input }, token);
  if (data.runHook.__typename !== 'RunHookSuccess') throw new Error(JSON.stringify(data.runHook));
  return data.runHook.execution;
}

export const logMessages = (execution: { logs: { edges: { node: { message: string } }[] } }) =>
  execution.logs.edges.map((edge) => edge.node.message);

export interface ListenOptions {
  eventTarget?: EventsTarget;
  clock?: Clock;
  /** Runs per token per minute; none when absent (as createTestApp). */
  runRateLimitPerMinute?: number;
  /** Management-API requests per token per minute; none when absent. */
  apiRateLimitPerMinute?: number;
  /** Sees every SQL statement. */
  onQuery?: (sql: string) => void;
  /** The sandbox to lend the service; the file's testSandbox() when absent. Never disposed by close(). */
  sandbox?: Sandbox;
  /** Builds hooks' npm packages (test/packages/); without it hooks cannot require packages. */
  packages?: PackageBuilder;
}

/**
 * A fresh service built by the composition root (src/service.ts: request log, metrics, draining,
 * health, as it runs in production) on a :memory: database, with the default tenant and its admin
 * token, listening (HTTP and graphql-ws) on 127.0.0.1 on a free port. close() is the service's
 * graceful stop.
 */
export async function listenTestApp(options: ListenOptions = {}) {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    HOOKGATE_DB: ':memory:',
    HOOKGATE_SECRET_KEY: randomBytes(32).toString('base64'),
    HOOKGATE_RUN_RATE_LIMIT: String(options.runRateLimitPerMinute ?? 0),
    HOOKGATE_API_RATE_LIMIT: String(options.apiRateLimitPerMinute ?? 0),
    // A test's runs still going when it ends are not waited for long.
    HOOKGATE_SHUTDOWN_TIMEOUT_MS: '500',
  });
  const lent = options.sandbox ?? testSandbox();
  const service = createService(config, {
    logger: silentLogger(),
    clock: options.clock,
    eventTarget: options.eventTarget,
    onQuery: options.onQuery,
    // Hooks of these tests never reach the npm registry (test/packages/ gives its own builder).
    packages: options.packages ?? null,
    createSandbox: () => ({ sandbox: { run: (request) => lent.run(request), checkSyntax: (script) => lent.checkSyntax(script), dispose: async () => {} } }),
  });
  const { token: adminToken } = service.services.tenants.bootstrap()!;
  const { port } = await service.start();
  return {
    yoga: service.yoga,
    services: service.services,
    db: service.db,
    secretBox: service.secretBox,
    service,
    adminToken,
    ...callers(service.yoga, adminToken),
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    async close() {
      await service.stop('test done');
    },
  };
}

export type ListeningTestApp = Awaited<ReturnType<typeof listenTestApp>>;

/** An EventTarget that counts its listeners: a test sees when a subscription has started or let go. */
export class CountingEventTarget extends EventTarget {
  listeners = 0;
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>) {
    this.listeners++;
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>) {
    this.listeners--;
    super.removeEventListener(...args);
  }
}

/** Waits until `condition` holds, checking every 20 ms; fails after `timeoutMs`, as a safety net only. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
