/**
 * A server under test for bench/http.ts, run in a child process of its own (so the load generator
 * never shares its event loop): `hookgate` (the wiring of src/main.ts on a file database in a temp
 * folder, with a saved trivial hook) or `yoga` (a bare graphql-yoga server with a trivial
 * mutation). Prints one `READY <json>` line on stdout, then serves until SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createSchema, createYoga } from 'graphql-yoga';
import { createApp } from '../src/app.ts';
import { openDb } from '../src/db/client.ts';
import { createSecretBox } from '../src/lib/secret-box.ts';
import { createSandbox } from '../src/sandbox/index.ts';
import { getTrigger } from '../src/triggers/index.ts';
import { attachGraphqlWs } from '../src/ws.ts';

export const TRIVIAL_HOOK = 'module.exports = function (user, context, cb) { cb(null, {ok: true}) }';
export const TRIGGER_ID = 'pre-user-registration';

export interface ReadyMessage {
  port: number;
  /** hookgate only: the bearer token, the hook's global id, the trigger's sample payload and the database file. */
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
  const db = openDb(dbPath);
  const sandbox = createSandbox({});
  const { yoga, services } = createApp({ db, secretBox: createSecretBox(randomBytes(32)), sandbox, runRateLimitPerMinute: 0 });
  const { token } = services.tenants.bootstrap()!;
  services.executionStore.markInterrupted();
  services.dispatch.resumeQueued();
  const viewer = services.tokens.authenticate(token);
  const hook = services.hooks.create(viewer, { name: 'bench-trivial', triggerId: TRIGGER_ID, script: TRIVIAL_HOOK });
  const server = createServer(yoga);
  const ws = attachGraphqlWs(server, yoga);
  const port = await listen(server);
  return {
    ready: { port, token, hookId: encodeGlobalID('Hook', hook.id), payload: getTrigger(TRIGGER_ID)!.samplePayload, dbPath },
    async stop() {
      await ws.close();
      server.close();
      server.closeAllConnections();
      await sandbox.dispose();
      db.$client.close();
      // The parent reads the database after the exit, then removes the folder.
    },
  };
}

async function startBareYoga(): Promise<{ ready: ReadyMessage; stop: () => Promise<void> }> {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Query { ok: Boolean! }
        type Mutation { echo(input: String!): String! }
      `,
      resolvers: { Mutation: { echo: (_root: unknown, { input }: { input: string }) => input } },
    }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
  });
  const server = createServer(yoga);
  const port = await listen(server);
  return {
    ready: { port },
    async stop() {
      server.close();
      server.closeAllConnections();
    },
  };
}

export function removeBenchDir(dbPath: string) {
  rmSync(join(dbPath, '..'), { recursive: true, force: true });
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/http-server.ts');
if (isMain) {
  const kind = process.argv[2];
  const started = kind === 'hookgate' ? await startHookgate() : kind === 'yoga' ? await startBareYoga() : null;
  if (!started) throw new Error(`usage: http-server.ts hookgate|yoga (got ${kind})`);
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
