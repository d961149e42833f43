import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaLogger } from 'graphql-yoga';
import { useConsole } from './console/use-console.ts';
import { createContext } from './context.ts';
import type { Db } from './db/client.ts';
import { isExpectedError, maskError } from './graphql/errors.ts';
import { schema } from './graphql/schema.ts';
import { CSRF_HEADER, MAX_REQUEST_BODY_BYTES, securityPlugins } from './graphql/security.ts';
import { useRootPointer } from './graphql/use-root-pointer.ts';
import { useBodyLimit } from './graphql/use-body-limit.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { SecretBox } from './lib/secret-box.ts';
import type { BuildReport } from './packages/build-queue.ts';
import type { PackageBuilder } from './packages/builder.ts';
import type { Sandbox } from './sandbox/types.ts';
import type { EventsTarget } from './services/events.ts';
import { createServices } from './services/index.ts';
import { useVendorApis } from './rest/use-vendor-apis.ts';
import { createLogger, type Logger } from './ops/logger.ts';
import { pino } from 'pino';

export interface AppParts {
  db: Db;
  secretBox: SecretBox;
  sandbox: Sandbox;
  clock?: Clock;
  /** Where live events travel; in-memory (one process) when absent. */
  eventTarget?: EventsTarget;
  /** Builds hooks' npm packages; without it, hooks cannot require packages. */
  packages?: PackageBuilder;
  /** Runs (runHook, dispatchTrigger) per API token per minute; 0 or absent: no limit. */
  runRateLimitPerMinute?: number;
  /** Management-API requests (/api/v2, /api/2) per API token per minute, apart from runs; 0 or absent: no limit. */
  apiRateLimitPerMinute?: number;
  /** Told of each package build's end (the service logs it). */
  onPackageBuild?: (report: BuildReport) => void;
  /** Plugins of the running service (src/service.ts: health, readiness, metrics, request log), first in line. */
  plugins?: Plugin[];
  /** Where yoga's own messages go; the console when absent. */
  logger?: YogaLogger;
  /** Where the services and the REST APIs report unexpected failures; warnings and errors on stderr when absent. */
  serviceLogger?: Logger;
}

/** The GraphQL service built from injected parts. It never listens: main.ts and tests do. */
export function createApp(parts: AppParts) {
  const { runRateLimitPerMinute, apiRateLimitPerMinute, onPackageBuild, plugins = [], logger = consoleLogger, serviceLogger = stderrLogger(), ...deps } = parts;
  const services = createServices(
    { ...deps, clock: deps.clock ?? systemClock, logger: serviceLogger },
    { runRateLimitPerMinute, apiRateLimitPerMinute, onPackageBuild },
  );
  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // GraphiQL served whole from this process, not from a CDN: a self-hosted service works offline.
    renderGraphiQL,
    graphiql: { title: 'hookgate', defaultQuery: GRAPHIQL_QUERY, additionalHeaders: { [CSRF_HEADER]: 'graphiql' } },
    maskedErrors: { maskError },
    logging: {
      ...logger,
      // Unexpected errors only: expected ones are the client's, answered with a code.
      error: (...args: unknown[]) => {
        if (!isExpectedError(args[0])) logger.error(...args);
      },
    },
    // GET /health is the service's (plugins/use-health-check.ts, a JSON body): yoga's own empty
    // answer, which matches any URL ending in /health, is moved out of its way.
    healthCheckEndpoint: '/.yoga/health',
    // Bounded by useBodyLimit, last in line: cheaper than yoga's own for bodies with a Content-Length.
    maxRequestBodySize: false,
    // The service's plugins come first: the vendor APIs and the console answer in onRequest, and
    // every request must be logged, counted and refused while draining before that.
    plugins: [...plugins, useVendorApis(services, deps.db, serviceLogger.child({ component: 'rest' })), useConsole(), ...securityPlugins(services), useRootPointer('/graphql'), useCommittedAnswers(deps.db), useBodyLimit(MAX_REQUEST_BODY_BYTES)],
    context: (initial) => createContext(services, initial),
  });
  return { yoga, services };
}

const stderrLogger = () => createLogger({ level: 'warn', destination: pino.destination({ dest: 2, sync: true }), pretty: false });

const consoleLogger: YogaLogger = {
  debug: () => {},
  info: (...args: unknown[]) => console.info(...args),
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
};

/**
 * No answer leaves before what it tells of is committed: writes of executions are group-committed
 * at the end of the event loop's turn (db/group-commit.ts), and any other write made meanwhile joins
 * them. So a query or mutation result, and each subscription event (the stored lines a log
 * subscription starts with are read on the writing connection), waits for the open group. Over
 * HTTP, SSE and graphql-ws alike: all of them execute through envelop.
 */
function useCommittedAnswers(db: Db): Plugin {
  return {
    onExecute: () => {
      // A group that failed while the operation ran may have held its earlier writes.
      const failuresBefore = db.$group.failures;
      return {
        onExecuteDone: async () => {
          await db.$group.settled();
          if (db.$group.failures !== failuresBefore) throw new Error('Writes of this operation could not be committed');
        },
      };
    },
    onSubscribe: () => ({ onSubscribeResult: () => ({ onNext: () => db.$group.settled() }) }),
  };
}

const GRAPHIQL_QUERY = `# Headers tab: {"Authorization": "Bearer <token>"}
query Start {
  viewer { tenant { name } scopes }
  triggers { id blocking }
}
`;
