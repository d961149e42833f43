/**
 * Tuning knobs of the sandbox, with the defaults a self-hosted instance starts with.
 */
import { availableParallelism, totalmem } from 'node:os';

export interface FetchOptions {
  /**
   * Host names (or IP literals) that hooks may reach even when they resolve to a private, loopback
   * or otherwise internal address. The operator's `HOOKGATE_FETCH_ALLOW_HOSTS`. Compared
   * case-insensitively with the URL's host name, without the port.
   */
  allowHosts: string[];
  /** A response body larger than this ends the fetch with an error; request bodies have the same cap. Default 1 MiB. */
  maxResponseBytes: number;
  /** Fetches a single run may start; later ones reject. Default 20. */
  maxRequestsPerRun: number;
  /** Open connections to one origin per sandbox process (runs awaiting a slow peer share them). Default 256. */
  maxConnectionsPerHost: number;
  /** Headers a request may carry; more fail the fetch at once. Default 100. */
  maxRequestHeaders: number;
  /** Size of a request's URL, and of its header names and values together, in characters. Default 16 KiB. */
  maxRequestHeadBytes: number;
}

export interface SandboxOptions {
  /** Sandbox processes (children of the service); tenants are spread over them by id. Default 1. */
  processes: number;
  /**
   * CPU slots of each sandbox process: calls into isolates that may execute at once. A run awaiting
   * I/O holds none. Default `os.availableParallelism()`, at least 2.
   */
  poolSize: number;
  /** CPU slots one tenant may hold at once in a process. Default half of `poolSize`, at least 1. */
  tenantCpuSlots: number;
  /**
   * What shares an isolate: each `script` (hook version) of a tenant has its own, so a hook that
   * has to be stopped takes none of the tenant's other hooks with it; or each `tenant`. Default `script`.
   */
  isolatePer: 'script' | 'tenant';
  /** Isolates a process keeps; idle ones beyond are disposed. Bounds memory: `maxIsolates × memoryLimitMb`. Default 64. */
  maxIsolates: number;
  /** Heap limit of each isolate in MiB; a hook that passes it ends as MEMORY_LIMIT_EXCEEDED. Default 128. */
  memoryLimitMb: number;
  /**
   * An isolate is rebuilt after this many runs. Released contexts whose globals held host
   * functions are never freed by V8, so isolates must be recycled now and then. Default 10 000.
   */
  maxRunsPerIsolate: number;
  /** An isolate is rebuilt once its used heap passes this fraction of `memoryLimitMb`. Default 0.6. */
  heapRebuildRatio: number;
  /** Contexts (one per `cacheKey`) kept warm in each isolate, least recently used evicted first. Default 32. */
  contextsPerIsolate: number;
  /** Largest response, as UTF-8 JSON, a hook may return. Default 256 KiB. */
  maxResponseBytes: number;
  /**
   * Deepest nesting of objects and arrays in a response. Whatever walks a response on the host
   * (redaction, storage, GraphQL) recurses, so a few kilobytes of `[[[[…]]]]` must not get there.
   * Default 100.
   */
  maxResponseDepth: number;
  /** Console lines kept per run; a marker line says when more were dropped. Default 100. */
  maxLogLines: number;
  /** Longest console line in UTF-8 bytes; longer lines are cut and marked. Default 4 KiB. */
  maxLogLineBytes: number;
  /** Timers (setTimeout/setInterval) a single run may create. Default 100. */
  maxTimersPerRun: number;
  fetch: FetchOptions;
  /**
   * How long past a run's timeout the sandbox process waits for isolated-vm's own timeout to stop a
   * busy call; past it, the isolate counts as wedged and its process is replaced. Default 50 ms.
   */
  watchdogMarginMs: number;
  /**
   * How long a sandbox process with runs may stay silent (no heartbeat) before the service counts
   * it as wedged and replaces it. Default 5 000 ms.
   */
  processGraceMs: number;
  /**
   * Resident memory (RSS, in MiB) above which a sandbox process is retired: a fresh one takes new
   * runs, the runs under way finish or reach their deadlines, then it ends and its memory returns.
   * An isolate can hold memory its heap limit does not count (on Node 26, megabyte property keys).
   * Default: the pool's own bound, `256 + maxIsolates × memoryLimitMb` (a process's own memory
   * and its isolates' heaps), but at most half of the machine's memory shared by `processes`.
   */
  processRssRetireMb: number;
  /**
   * Resident memory (MiB) above which a sandbox process is killed at once, retired or not: its
   * runs end `SandboxCrashed`, as in a crash. Default 1.5 × `processRssRetireMb`.
   */
  processRssKillMb: number;
}

export type SandboxOptionsInput = Partial<Omit<SandboxOptions, 'fetch'>> & {
  fetch?: Partial<FetchOptions>;
};

export function resolveOptions(input: SandboxOptionsInput = {}): SandboxOptions {
  const poolSize = input.poolSize ?? Math.max(2, availableParallelism());
  const memoryLimitMb = input.memoryLimitMb ?? 128;
  const maxIsolates = input.maxIsolates ?? 64;
  const processes = input.processes ?? 1;
  const processRssRetireMb =
    input.processRssRetireMb ??
    Math.max(256 + 2 * memoryLimitMb, Math.min(256 + maxIsolates * memoryLimitMb, Math.floor(totalmem() / 2 ** 20 / 2 / Math.max(1, processes))));
  const options: SandboxOptions = {
    processes: 1,
    poolSize,
    tenantCpuSlots: Math.max(1, Math.floor(poolSize / 2)),
    maxIsolates: 64,
    isolatePer: 'script',
    processGraceMs: 5_000,
    memoryLimitMb: 128,
    maxRunsPerIsolate: 10_000,
    heapRebuildRatio: 0.6,
    contextsPerIsolate: 32,
    maxResponseBytes: 256 * 1024,
    maxResponseDepth: 100,
    maxLogLines: 100,
    maxLogLineBytes: 4 * 1024,
    maxTimersPerRun: 100,
    watchdogMarginMs: 50,
    processRssRetireMb,
    processRssKillMb: Math.ceil(1.5 * processRssRetireMb),
    ...withoutUndefined(input),
    fetch: {
      allowHosts: [],
      maxResponseBytes: 1024 * 1024,
      maxRequestsPerRun: 20,
      maxConnectionsPerHost: 256,
      maxRequestHeaders: 100,
      maxRequestHeadBytes: 16 * 1024,
      ...withoutUndefined(input.fetch ?? {}),
    },
  };
  for (const key of [
    'processes',
    'poolSize',
    'tenantCpuSlots',
    'maxIsolates',
    'memoryLimitMb',
    'maxRunsPerIsolate',
    'contextsPerIsolate',
    'maxResponseBytes',
    'maxResponseDepth',
    'maxLogLines',
    'maxLogLineBytes',
    'maxTimersPerRun',
    'processRssRetireMb',
    'processRssKillMb',
  ] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) {
      throw new RangeError(`sandbox option ${key} must be a positive integer, got ${options[key]}`);
    }
  }
  // A fresh process holds some 100 MB: a bound below would retire every process at its first beat.
  if (options.processRssRetireMb < 128) throw new RangeError('sandbox option processRssRetireMb must be at least 128');
  if (options.processRssKillMb < options.processRssRetireMb) throw new RangeError('sandbox option processRssKillMb must be at least processRssRetireMb');
  if (options.isolatePer !== 'script' && options.isolatePer !== 'tenant') throw new RangeError("sandbox option isolatePer must be 'script' or 'tenant'");
  if (options.memoryLimitMb < 8) throw new RangeError('sandbox option memoryLimitMb must be at least 8');
  if (!(options.heapRebuildRatio > 0 && options.heapRebuildRatio <= 1)) {
    throw new RangeError('sandbox option heapRebuildRatio must be in (0, 1]');
  }
  options.fetch.allowHosts = options.fetch.allowHosts.map((host) => host.trim().toLowerCase()).filter(Boolean);
  return options;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
