import { createBuildQueue, type BuildReport } from '../packages/build-queue.ts';
import type { ServiceDeps } from './deps.ts';
import { createDispatchService } from './dispatch.ts';
import { createEvents } from './events.ts';
import { createExecutionFeeds } from './execution-feeds.ts';
import { createExecutionStore } from './execution-store.ts';
import { createExecutionService } from './executions.ts';
import { createHookService } from './hooks.ts';
import { createHookVersionService } from './hook-versions.ts';
import { createQuarantine } from './quarantine.ts';
import { createApiRateLimiter, createRunRateLimiter } from './rate-limit.ts';
import { createRetentionService } from './retention.ts';
import { createRunService } from './runs.ts';
import { createSecretService } from './secrets.ts';
import { createTenantService } from './tenants.ts';
import { createTokenService } from './tokens.ts';

export type Services = ReturnType<typeof createServices>;

export interface ServiceOptions {
  /** Runs (runHook, dispatchTrigger) per API token per minute; 0 or absent: no limit. */
  runRateLimitPerMinute?: number;
  /** Management-API requests (/api/v2, /api/2) per API token per minute, a budget apart from runs; 0 or absent: no limit. */
  apiRateLimitPerMinute?: number;
  /** Told of each package build's end (the service logs it). */
  onPackageBuild?: (report: BuildReport) => void;
}

export function createServices(deps: ServiceDeps, options: ServiceOptions = {}) {
  const events = createEvents(deps.eventTarget);
  const tokens = createTokenService(deps);
  const tenants = createTenantService(deps, tokens);
  const builds = deps.packages ? createBuildQueue(deps.db, deps.packages, options.onPackageBuild) : null;
  const hooks = createHookService(deps, builds);
  const hookVersions = createHookVersionService(deps);
  const secrets = createSecretService(deps, hooks);
  const executionStore = createExecutionStore(deps, events);
  const quarantine = createQuarantine(deps.clock);
  const runs = createRunService(deps, executionStore, quarantine, builds);
  const runLimiter = createRunRateLimiter(options.runRateLimitPerMinute);
  const apiLimiter = createApiRateLimiter(options.apiRateLimitPerMinute);
  const dispatch = createDispatchService(deps, hooks, secrets, runs, runLimiter, builds);
  const executions = createExecutionService(deps, executionStore);
  const feeds = createExecutionFeeds(deps, events, executionStore, tokens);
  const retention = createRetentionService(deps);
  return { builds, events, tokens, tenants, runLimiter, apiLimiter, hooks, hookVersions, secrets, executionStore, quarantine, runs, dispatch, executions, feeds, retention };
}
