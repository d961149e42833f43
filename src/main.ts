import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { loadConfig, resolveSecretKey } from './config.ts';
import { openDb } from './db/client.ts';
import { listenUrl } from './lib/listen-url.ts';
import { createSecretBox } from './lib/secret-box.ts';
import { createSandbox, lostIsolateThreads } from './sandbox/index.ts';
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
  console.log(`hookgate listening on ${listenUrl(config.host, port, yoga.graphqlEndpoint)}`);
});

async function shutdown(signal: NodeJS.Signals) {
  console.log(`${signal}: shutting down`);
  stopRetention();
  await ws.close();
  server.close();
  await sandbox.dispose();
  db.$client.close();
  const lost = lostIsolateThreads();
  if (lost > 0) {
    // Everything is closed; what is left is threads no exit can wait for (hooks wedged their
    // isolates). The signal's own default action ends the process at once, and a supervisor sees
    // the signal it sent.
    console.log(`${lost} sandbox thread(s) wedged by hooks cannot end: stopping by ${signal} itself`);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
