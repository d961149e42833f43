import { count, eq } from 'drizzle-orm';
import { createApp } from './app.ts';
import { resolveSecretKey, type Config } from './config.ts';
import { executions } from './db/schema.ts';
import type { Clock } from './lib/clock.ts';
import { createSecretBox } from './lib/secret-box.ts';
import { createHttpServer, listen } from './ops/http-server.ts';
import { openDatabase } from './ops/open-database.ts';
import { createLogger, yogaLogger, type Logger } from './ops/logger.ts';
import { createDrainState } from './ops/drain.ts';
import { createMetricsEndpoint } from './ops/metrics-endpoint.ts';
import { createMetrics } from './ops/metrics.ts';
import { createReadinessCheck } from './ops/readiness.ts';
import { createIsolatePoolEngine, gateSandbox, lazyEngine, sandboxSettings, type SandboxEngine, type SandboxFactory } from './ops/sandbox-seam.ts';
import { createStopper, type StopReport } from './ops/stopper.ts';
import { listenUrl } from './lib/listen-url.ts';
import { useDraining } from './plugins/use-draining.ts';
import { useHealthCheck } from './plugins/use-health-check.ts';
import { useHttpMetrics } from './plugins/use-http-metrics.ts';
import { useMetricsEndpoint } from './plugins/use-metrics-endpoint.ts';
import { useOperationMetrics } from './plugins/use-operation-metrics.ts';
import { useReadiness } from './plugins/use-readiness.ts';
import { useRequestLog } from './plugins/use-request-log.ts';
import type { EventsTarget } from './services/events.ts';
import { packageAllowlist } from './packages/allowlist.ts';
import { PackageBuilder } from './packages/builder.ts';
import { npmRegistry } from './packages/registry-config.ts';

export interface ServiceOptions {
  logger?: Logger;
  /** The engine that runs hooks; default the isolated-vm pool (ops/sandbox-seam.ts). Disposed by stop(). */
  createSandbox?: SandboxFactory;
  clock?: Clock;
  eventTarget?: EventsTarget;
  /** Sees every SQL statement (tests count the statements behind a page). */
  onQuery?: (sql: string) => void;
  /**
   * Builds hooks' npm packages; default one made from the config's packages settings. null: hooks
   * cannot require packages (tests whose hooks must not reach the registry).
   */
  packages?: PackageBuilder | null;
}

export type Service = ReturnType<typeof createService>;

/**
 * The composition root: builds the whole service from a config (database, secret box, sandbox,
 * services, yoga, HTTP and graphql-ws servers) and starts and stops it. `main.ts`, the CLI, the
 * bench servers, the scripts and the tests that listen all build hookgate here, and only here.
 * Building opens and migrates the database; only start() listens or runs anything.
 */
export function createService(config: Config, options: ServiceOptions = {}) {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const db = openDatabase(config.dbPath, logger, { onQuery: options.onQuery });
  const secretBox = createSecretBox(resolveSecretKey(config));
  const engine: SandboxEngine = lazyEngine(options.createSandbox ?? createIsolatePoolEngine, sandboxSettings(config, logger.child({ component: 'sandbox' })));

  const queueDepth = db.select({ n: count() }).from(executions).where(eq(executions.status, 'QUEUED')).prepare();
  const metrics = createMetrics({ queueDepth: () => queueDepth.get()?.n ?? 0, sandboxStats: engine.stats, sandboxPoolSize: config.sandboxPoolSize });
  const gate = gateSandbox(engine.sandbox, {
    started: metrics.sandboxObserver.started,
    ended(result, request) {
      metrics.sandboxObserver.ended(result);
      if (result.isolateLost) logger.warn({ event: 'isolate-lost', cacheKey: request.cacheKey, status: result.status }, 'a hook wedged a sandbox isolate beyond recovery');
    },
  });
  const drain = createDrainState();
  const readiness = createReadinessCheck({ db, sandbox: engine.sandbox, draining: () => drain.draining });
  const metricsEndpoint = createMetricsEndpoint(metrics.registry, config.metrics.token);

  const packages =
    options.packages === undefined
      ? new PackageBuilder({
          dir: config.packages.dir,
          registry: config.packages.registry ?? npmRegistry(),
          allow: packageAllowlist(config.packages.allow),
          maxBundleBytes: config.packages.maxBundleBytes,
        })
      : (options.packages ?? undefined);
  const { yoga, services } = createApp({
    db,
    secretBox,
    packages,
    sandbox: gate.sandbox,
    clock: options.clock,
    eventTarget: options.eventTarget,
    runRateLimitPerMinute: config.runRateLimitPerMinute,
    apiRateLimitPerMinute: config.apiRateLimitPerMinute,
    onPackageBuild: ({ error, ...report }) => {
      if (error) logger.warn({ event: 'package-build', ...report, error }, 'a hook version’s packages failed to build');
      else logger.info({ event: 'package-build', ...report }, 'built a hook version’s packages');
    },
    logger: yogaLogger(logger),
    serviceLogger: logger.child({ component: 'services' }),
    plugins: [
      useHttpMetrics(metrics),
      useRequestLog(logger.child({ component: 'http' })),
      useHealthCheck(),
      useReadiness(readiness),
      ...(config.metrics.port === undefined ? [useMetricsEndpoint(metricsEndpoint)] : []),
      useDraining(drain),
      useOperationMetrics(metrics),
    ],
  });
  // Metrics follow each committed change of an execution, as its live event is published.
  const unsubscribe = services.events.observe('execution:updated', metrics.executionChanged);
  services.quarantine.onEvent(({ tenantId, hookId, refusal }) =>
    logger.warn(
      { event: 'quarantine', tenantId, hookId, scope: refusal.scope, until: new Date(refusal.until).toISOString(), events: refusal.events },
      'a hook wedged a sandbox isolate: its runs are refused for a while',
    ),
  );

  const { server, ws } = createHttpServer(yoga, services);
  const metricsServer = config.metrics.port === undefined ? null : metricsEndpoint.server();
  let stopRetention = () => {};
  let started = false;
  async function release() {
    stopRetention();
    unsubscribe();
    await engine.sandbox.dispose();
    db.$client.close();
  }

  const stopper = createStopper({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    beginDraining() {
      // New requests are refused and the queue starts no more runs; runs in flight (retries
      // included) still get the sandbox until the deadline.
      drain.begin();
      services.dispatch.pauseQueue();
    },
    closeLive: () => ws.close(),
    inFlightDone: () =>
      Promise.all([drain.operationsDone(), services.dispatch.idle(), gate.idle()]).then(() => undefined),
    interrupt() {
      gate.close();
      // Quick runs are written when they end (services/run-record.ts): those still going are
      // written now, to be counted (and recorded) interrupted with the others.
      services.runs.writeUnwritten();
      gate.abandon();
      return services.executionStore.markInterrupted();
    },
    servers: metricsServer ? [server, metricsServer] : [server],
    release,
  });
  let closing: Promise<void> | null = null;

  return {
    config,
    logger,
    db,
    secretBox,
    services,
    /** The sandbox as the services use it (compiles scripts for the CLI's import). */
    sandbox: gate.sandbox,
    yoga,
    metrics,
    server,
    /** Threads or processes wedged by hooks that no exit can wait for (see SandboxEngine.unstoppable). */
    unstoppable: () => engine.unstoppable?.() ?? 0,

    /**
     * Bootstraps an empty database, records runs a previous process left RUNNING as interrupted,
     * resumes queued ones, schedules the retention sweep and listens. Returns the bootstrap (its
     * token is for the caller to show once, never logged) and the URLs.
     */
    async start() {
      started = true;
      const bootstrapped = services.tenants.bootstrap(config.bootstrapToken);
      if (bootstrapped) {
        logger.info({ event: 'tenant-bootstrapped', tenant: bootstrapped.tenant.name, tokenFrom: config.bootstrapToken ? 'HOOKGATE_BOOTSTRAP_TOKEN' : 'generated' }, 'created the bootstrap tenant');
      }
      const interrupted = services.executionStore.markInterrupted();
      const builds = services.builds?.resume() ?? 0;
      if (builds) logger.info({ event: 'builds-resumed', builds }, 'resumed package builds a previous process left unfinished');
      const resumed = services.dispatch.resumeQueued();
      if (interrupted || resumed) logger.info({ event: 'runs-recovered', interrupted, resumed }, 'recorded interrupted runs as failed and resumed queued runs');
      stopRetention = services.retention.schedule({ maxAgeMs: config.retentionMs, intervalMs: config.retentionSweepMs }, (err) =>
        logger.error({ event: 'retention-failed', err }, 'retention sweep failed'),
      );
      const port = await listen(server, config.port, config.host);
      const url = listenUrl(config.host, port, yoga.graphqlEndpoint);
      let metricsUrl = listenUrl(config.host, port, '/metrics');
      if (metricsServer) metricsUrl = listenUrl(config.metrics.host, await listen(metricsServer, config.metrics.port!, config.metrics.host), '/metrics');
      logger.info({ event: 'listening', url, metricsUrl, pid: process.pid }, `hookgate listening on ${url}`);
      return { url, metricsUrl, port, bootstrapped };
    },

    /** The graceful stop (ops/stopper.ts) of a started service; safe to call more than once. */
    async stop(reason = 'stop'): Promise<StopReport> {
      if (started) return stopper.stop(reason);
      // Never started (a CLI command): nothing ran, only close what was opened.
      closing ??= release();
      await closing;
      return { interrupted: 0, durationMs: 0 };
    },
  };
}
