/**
 * A server under test for bench/http.ts, run in a child process of its own (so the load generator
 * never shares its event loop): `hookgate` (the service as src/service.ts builds it, on a file database in a temp
 * folder, with a saved trivial hook), `yoga` (a bare graphql-yoga server with a trivial
 * mutation) or `floor` (bare graphql-yoga doing only the work a recorded run cannot skip, see
 * startFloor). Prints one `READY <json>` line on stdout, then serves until SIGTERM.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createSchema, createYoga } from 'graphql-yoga';
import ivm from 'isolated-vm';
import { v7 } from 'uuid';
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/client.ts';
import { createService } from '../src/service.ts';
import { getTrigger } from '../src/triggers/index.ts';

export const TRIVIAL_HOOK = 'module.exports = function (user, context, cb) { cb(null, {ok: true}) }';
export const TRIGGER_ID = 'pre-user-registration';

export interface ReadyMessage {
  port: number;
  /** hookgate and floor: the bearer token, the hook's global id, the trigger's sample payload and the database file. */
  token?: string;
  hookId?: string;
  payload?: Record<string, unknown>;
  dbPath?: string;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function startHookgate(): Promise<{ ready: ReadyMessage; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-bench-http-'));
  const dbPath = join(dir, 'hookgate.db');
  const token = `hg_${randomBytes(32).toString('base64url')}`;
  // The service as `hookgate serve` builds it; warnings only, so no line per request is written.
  const service = createService(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      HOOKGATE_DB: dbPath,
      HOOKGATE_SECRET_KEY: randomBytes(32).toString('base64'),
      HOOKGATE_BOOTSTRAP_TOKEN: token,
      HOOKGATE_RUN_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
    }),
  );
  const { port } = await service.start();
  const viewer = service.services.tokens.authenticate(token);
  const hook = await service.services.hooks.create(viewer, { name: 'bench-trivial', triggerId: TRIGGER_ID, script: TRIVIAL_HOOK });
  return {
    ready: { port, token, hookId: encodeGlobalID('Hook', hook.id), payload: getTrigger(TRIGGER_ID)!.samplePayload, dbPath },
    async stop() {
      await service.stop('bench done');
      // The parent reads the database after the exit, then removes the folder.
    },
  };
}

/** A bare graphql-yoga server (no GraphiQL, no landing page) for a schema, listening on a free port. */
async function serveBareYoga(schema: Parameters<typeof createYoga>[0]['schema'], options: { maxRequestBodySize?: false } = {}) {
  const server = createServer(createYoga({ schema, graphqlEndpoint: '/graphql', landingPage: false, graphiql: false, ...options }));
  const port = await listen(server);
  return {
    port,
    stop() {
      server.close();
      server.closeAllConnections();
    },
  };
}

async function startBareYoga(): Promise<{ ready: ReadyMessage; stop: () => Promise<void> }> {
  const served = await serveBareYoga(
    createSchema({
      typeDefs: /* GraphQL */ `
        type Query { ok: Boolean! }
        type Mutation { echo(input: String!): String! }
      `,
      resolvers: { Mutation: { echo: (_root: unknown, { input }: { input: string }) => input } },
    }),
  );
  return { ready: { port: served.port }, stop: async () => served.stop() };
}

/**
 * A reference, not a product: the least a run that is recorded can cost on this stack, to show how
 * much of the gap to bare yoga is the work itself. One mutation, written tightly on bare yoga and
 * raw better-sqlite3: authenticate the bearer token (SHA-256, indexed lookup), load the hook's
 * script, record the execution as RUNNING, call the hook in a warm isolated-vm context, record its
 * end, answer once both writes are committed (the same group commit as hookgate). Nothing else:
 * no scopes, limits, secrets, redaction, trigger contract, logs, watchdog or typed errors.
 * Not yoga's default body limit either: it pipes every body through a counting stream, which
 * hookgate no longer pays (src/graphql/use-body-limit.ts); with it, the floor ran at about three
 * quarters of its speed without it.
 */
async function startFloor(): Promise<{ ready: ReadyMessage; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-bench-floor-'));
  const dbPath = join(dir, 'hookgate.db');
  const db = openDb(dbPath);
  const sqlite = db.$client;
  const token = `hg_${randomBytes(32).toString('base64url')}`;
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  sqlite.exec(`insert into tenants (id, name, created_at) values ('t', 'bench', 0)`);
  sqlite.prepare(`insert into api_tokens (id, tenant_id, name, token_hash, prefix, scopes, created_at) values ('k', 't', 'bench', ?, 'hg_', '["*"]', 0)`).run(sha256(token));
  sqlite.exec(`insert into hooks (id, tenant_id, name, trigger_id, enabled, timeout_ms, retries, conditions, options, env_var_names, context_version, status, version, created_at, updated_at)
    values ('h', 't', 'bench-trivial', '${TRIGGER_ID}', 1, 1000, 0, '[]', '{}', '[]', null, 'ACTIVE', 1, 0, 0)`);
  sqlite.prepare(`insert into hook_versions (id, hook_id, version, script, created_at) values ('v', 'h', 1, ?, 0)`).run(TRIVIAL_HOOK);
  const tokenByHash = sqlite.prepare(`select tenant_id from api_tokens where token_hash = ? and revoked_at is null`);
  const hookById = sqlite.prepare(`select v.id as versionId, v.script from hooks h join hook_versions v on v.hook_id = h.id and v.version = h.version where h.id = ? and h.tenant_id = ?`);
  const started = sqlite.prepare(`insert into executions (id, tenant_id, hook_id, version_id, trigger_id, status, source, attempts, payload, warnings, created_at, started_at)
    values (?, ?, 'h', ?, '${TRIGGER_ID}', 'RUNNING', 'RUNNER', 0, ?, '[]', ?, ?)`);
  const ended = sqlite.prepare(`update executions set status = 'SUCCEEDED', attempts = 1, response = ?, effective_response = ?, outcome = 'ALLOW', duration_ms = ?, finished_at = ? where id = ?`);

  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  const context = isolate.createContextSync();
  const { script } = hookById.get('h', 't') as { script: string };
  context.evalSync(`const module = { exports: {} };\n${script}\nglobalThis.entry = function (payload) {
    const { user, context } = JSON.parse(payload);
    let answer;
    module.exports(user, context, function (error, response) { answer = JSON.stringify({ error: error ? String(error) : null, response }); });
    return answer;
  }`);
  const entry = (await context.global.get('entry', { reference: true })) as ivm.Reference<(payload: string) => string>;

  const served = await serveBareYoga(
    createSchema({
      typeDefs: /* GraphQL */ `
        scalar JSON
        type Query { ok: Boolean }
        type Mutation { run(hookId: ID!, payload: JSON!): JSON! }
      `,
      resolvers: {
        Mutation: {
          run: async (_root: unknown, args: { hookId: string; payload: unknown }, { request }: { request: Request }) => {
            const tenant = tokenByHash.get(sha256(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '')) as { tenant_id: string } | undefined;
            if (!tenant) throw new Error('unauthenticated');
            const hook = hookById.get(args.hookId, tenant.tenant_id) as { versionId: string; script: string } | undefined;
            if (!hook) throw new Error('not found');
            const id = v7();
            const payload = JSON.stringify(args.payload);
            const startedAt = Date.now();
            db.$group.join();
            started.run(id, tenant.tenant_id, hook.versionId, payload, startedAt, startedAt);
            const { response } = JSON.parse(entry.applySync(undefined, [payload], { timeout: 1000 })) as { response: unknown };
            const finishedAt = Date.now();
            db.$group.join();
            ended.run(JSON.stringify(response), JSON.stringify(response), finishedAt - startedAt, finishedAt, id);
            await db.$group.settled();
            return { id, status: 'SUCCEEDED', response };
          },
        },
      },
    }),
    { maxRequestBodySize: false },
  );
  return {
    ready: { port: served.port, token, hookId: 'h', payload: getTrigger(TRIGGER_ID)!.samplePayload, dbPath },
    async stop() {
      served.stop();
      isolate.dispose();
      db.$client.close();
    },
  };
}

export function removeBenchDir(dbPath: string) {
  rmSync(join(dbPath, '..'), { recursive: true, force: true });
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/http-server.ts');
if (isMain) {
  const kind = process.argv[2];
  const starters: Record<string, () => ReturnType<typeof startHookgate>> = { hookgate: startHookgate, yoga: startBareYoga, floor: startFloor };
  const started = kind && Object.hasOwn(starters, kind) ? await starters[kind]!() : null;
  if (!started) throw new Error(`usage: http-server.ts hookgate|yoga|floor (got ${kind})`);
  // BENCH_HTTP_LOOP_DELAY=1: report the event loop's stalls when stopped (to explain a p99).
  const loopDelay = process.env.BENCH_HTTP_LOOP_DELAY ? monitorEventLoopDelay({ resolution: 1 }) : null;
  loopDelay?.enable();
  process.stdout.write(`READY ${JSON.stringify(started.ready)}\n`);
  process.once('SIGTERM', () => {
    if (loopDelay) {
      const at = (p: number) => (loopDelay.percentile(p) / 1e6).toFixed(1);
      console.error(`  [${kind}] event loop delay p50 ${at(50)} ms  p99 ${at(99)} ms  max ${(loopDelay.max / 1e6).toFixed(1)} ms`);
    }
    void started.stop().then(() => process.exit(0));
  });
}
