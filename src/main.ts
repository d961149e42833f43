import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { loadConfig, resolveSecretKey } from './config.ts';
import { openDb } from './db/client.ts';
import { createSecretBox } from './lib/secret-box.ts';
import { createSandbox } from './sandbox/index.ts';
import { attachGraphqlWs } from './ws.ts';

/** A bad setting stops the start with its own message, not a stack trace. */
function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    console.error(`hookgate: ${(error as Error).message}`);
    process.exit(1);
  }
}

const config = orExit(() => loadConfig());
const db = orExit(() => openDb(config.dbPath));
const secretBox = createSecretBox(orExit(() => resolveSecretKey(config)));
const sandbox = createSandbox({
  poolSize: config.sandboxPoolSize,
  memoryLimitMb: config.sandboxMemoryMb,
  fetch: { allowHosts: config.fetchAllowHosts },
});
const { yoga, services } = createApp({ db, secretBox, sandbox, runRateLimitPerMinute: config.runRateLimitPerMinute });

const bootstrapped = services.tenants.bootstrap(config.bootstrapToken);
if (bootstrapped && !config.bootstrapToken) {
  console.log(`Created tenant "${bootstrapped.tenant.name}" with an admin token (shown once, store it now):\n\n  ${bootstrapped.token}\n`);
} else if (bootstrapped) {
  console.log(`Created tenant "${bootstrapped.tenant.name}" with HOOKGATE_BOOTSTRAP_TOKEN as its admin token`);
}

// Runs cut off by a stop are recorded as interrupted; queued async runs go ahead.
const interrupted = services.executionStore.markInterrupted();
const resumed = services.dispatch.resumeQueued();
if (interrupted || resumed) console.log(`Marked ${interrupted} interrupted run(s) failed; resumed ${resumed} queued run(s)`);

const stopRetention = services.retention.schedule({ maxAgeMs: config.retentionMs, intervalMs: config.retentionSweepMs });

const server = createServer(yoga);
const ws = attachGraphqlWs(server, yoga);
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  console.log(`hookgate listening on http://localhost:${port}${yoga.graphqlEndpoint}`);
});

/** Longest a stop waits for runs under way to end (blocking runs answer their callers). */
const DRAIN_MS = 10_000;

async function shutdown(signal: NodeJS.Signals) {
  console.log(`${signal}: shutting down`);
  stopRetention();
  await ws.close();
  // No new requests; those under way finish, their runs drain, then the sandbox processes stop.
  const closed = new Promise((resolve) => server.close(resolve));
  await sandbox.drain?.(DRAIN_MS);
  await sandbox.dispose();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
  db.$client.close();
  // Hook code never runs in this process (sandbox processes do), so nothing here can keep it from ending.
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
