/**
 * Tuning knobs of the sandbox, with the defaults a self-hosted instance starts with.
 */
import { availableParallelism } from 'node:os';

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
}

export interface SandboxOptions {
  /** Isolates in the pool; each runs one hook at a time. Default `os.availableParallelism()`, at least 2. */
  poolSize: number;
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
   * How long past a run's timeout the host waits for isolated-vm's own timeout to stop a busy
   * isolate before it disposes the isolate itself. Default 50 ms.
   */
  watchdogMarginMs: number;
}

export type SandboxOptionsInput = Partial<Omit<SandboxOptions, 'fetch'>> & {
  fetch?: Partial<FetchOptions>;
};

export function resolveOptions(input: SandboxOptionsInput = {}): SandboxOptions {
  const options: SandboxOptions = {
    poolSize: Math.max(2, availableParallelism()),
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
    ...withoutUndefined(input),
    fetch: {
      allowHosts: [],
      maxResponseBytes: 1024 * 1024,
      maxRequestsPerRun: 20,
      ...withoutUndefined(input.fetch ?? {}),
    },
  };
  for (const key of [
    'poolSize',
    'memoryLimitMb',
    'maxRunsPerIsolate',
    'contextsPerIsolate',
    'maxResponseBytes',
    'maxResponseDepth',
    'maxLogLines',
    'maxLogLineBytes',
    'maxTimersPerRun',
  ] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) {
      throw new RangeError(`sandbox option ${key} must be a positive integer, got ${options[key]}`);
    }
  }
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
