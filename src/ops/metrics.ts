import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ExecutionRow } from '../db/schema.ts';
import type { RunResult } from '../sandbox/types.ts';
import { getTrigger } from '../triggers/index.ts';
import type { SandboxStats } from './sandbox-seam.ts';

const RUN_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const HTTP_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'MEMORY_LIMIT_EXCEEDED']);

/** Operation names are chosen by clients: past this many distinct ones, the rest count as "other". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export interface MetricsSources {
  /** Executions waiting in the queue (read at each scrape). */
  queueDepth: () => number;
  sandboxStats?: () => SandboxStats;
  sandboxPoolSize?: number;
}

/**
 * The service's Prometheus metrics, in a registry of its own (several services can live in one
 * process, as in tests). Nothing labelled here is a secret: triggers, statuses, routes, names.
 */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hookgate_' });
  const registers = [registry];

  const runs = new Counter({ name: 'hookgate_runs_total', help: 'Hook runs ended, by trigger, status and source', labelNames: ['trigger', 'status', 'source'], registers });
  const runDuration = new Histogram({ name: 'hookgate_run_duration_seconds', help: 'Wall-clock time of ended runs, by trigger', labelNames: ['trigger'], buckets: RUN_SECONDS, registers });
  const runCpu = new Histogram({ name: 'hookgate_run_cpu_seconds', help: 'CPU time of ended runs, by trigger', labelNames: ['trigger'], buckets: RUN_SECONDS, registers });
  const queueWait = new Histogram({ name: 'hookgate_queue_wait_seconds', help: 'Time an async run waited in the queue, from its dispatch to its start', labelNames: ['trigger'], buckets: RUN_SECONDS, registers });
  new Gauge({ name: 'hookgate_queue_depth', help: 'Async runs waiting in the queue', registers, collect() { this.set(sources.queueDepth()); } });

  const sandboxRuns = new Counter({ name: 'hookgate_sandbox_runs_total', help: 'Runs the sandbox ended, by status', labelNames: ['status'], registers });
  const sandboxActive = new Gauge({ name: 'hookgate_sandbox_runs_active', help: 'Runs in the sandbox now', registers });
  const isolatesLost = new Counter({ name: 'hookgate_sandbox_isolates_lost_total', help: 'Isolates wedged by hooks beyond recovery', registers });
  if (sources.sandboxPoolSize !== undefined) {
    new Gauge({ name: 'hookgate_sandbox_pool_size', help: 'Configured sandbox slots', registers }).set(sources.sandboxPoolSize);
  }
  const stats = sources.sandboxStats;
  if (stats) {
    // Only what the engine reports appears (the isolate pool reports none of these today).
    new Gauge({
      name: 'hookgate_sandbox_engine',
      help: 'Counts the sandbox engine reports: processes and isolates alive, recycles and crashes since start',
      labelNames: ['stat'],
      registers,
      collect() {
        this.reset();
        for (const [stat, value] of Object.entries(stats())) if (typeof value === 'number') this.set({ stat }, value);
      },
    });
  }

  const httpRequests = new Counter({ name: 'hookgate_http_requests_total', help: 'HTTP requests, by method, route and status', labelNames: ['method', 'route', 'status'], registers });
  const httpDuration = new Histogram({ name: 'hookgate_http_request_duration_seconds', help: 'HTTP request durations, by route', labelNames: ['route'], buckets: HTTP_SECONDS, registers });
  const operations = new Counter({ name: 'hookgate_graphql_operations_total', help: 'GraphQL operations, by name, type and result', labelNames: ['operation', 'type', 'result'], registers });
  const operationDuration = new Histogram({ name: 'hookgate_graphql_operation_duration_seconds', help: 'GraphQL operation durations, by name and type', labelNames: ['operation', 'type'], buckets: HTTP_SECONDS, registers });
  const operationNames = new Set<string>();

  function operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (operationNames.has(name)) return name;
    if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    operationNames.add(name);
    return name;
  }

  const sandboxObserver = {
    started: () => sandboxActive.inc(),
    ended(result: RunResult) {
      sandboxActive.dec();
      sandboxRuns.inc({ status: result.status });
      if (result.isolateLost) isolatesLost.inc();
    },
  };

  return {
    registry,
    sandboxObserver,
    /** Told of each committed change of an execution (its live event). */
    executionChanged(row: ExecutionRow) {
      // A run its caller waits for never queues (and an ended one may be written once, ended).
      if (row.status === 'RUNNING' && row.startedAt !== null && row.source === 'DISPATCH' && getTrigger(row.triggerId)?.blocking === false) {
        queueWait.observe({ trigger: row.triggerId }, Math.max(0, row.startedAt - row.createdAt) / 1000);
      } else if (TERMINAL.has(row.status)) {
        runs.inc({ trigger: row.triggerId, status: row.status, source: row.source });
        if (row.durationMs !== null) runDuration.observe({ trigger: row.triggerId }, row.durationMs / 1000);
        if (row.cpuTimeMs !== null) runCpu.observe({ trigger: row.triggerId }, row.cpuTimeMs / 1000);
      }
    },
    httpRequest(method: string, route: string, status: number, seconds: number) {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ route }, seconds);
    },
    graphqlOperation(name: string | null | undefined, type: string, ok: boolean, seconds: number) {
      const operation = operationLabel(name);
      operations.inc({ operation, type, result: ok ? 'ok' : 'error' });
      operationDuration.observe({ operation, type }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
