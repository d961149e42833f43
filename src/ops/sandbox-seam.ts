import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createSandbox, disposedResult, notStartedResult, stoppingResult } from '../sandbox/index.ts';
import type { RunRequest, RunResult, Sandbox } from '../sandbox/types.ts';
import { INTERRUPTED_ERROR } from '../services/execution-store.ts';

/**
 * The one place the service makes its sandbox: the composition root calls a SandboxFactory, so
 * another engine (child processes, say) plugs in here without touching the rest of the wiring.
 */
export interface SandboxSettings {
  poolSize?: number;
  memoryLimitMb: number;
  /** Undefined: the engine's defaults (src/sandbox/options.ts). */
  processes?: number;
  tenantCpuSlots?: number;
  maxIsolates?: number;
  processRssRetireMb?: number;
  fetch: { allowHosts: string[] };
  /** For the sandbox's own events (a process replaced, a crash), as log lines with fields. */
  logger: Logger;
}

/** Counts an engine may report for /metrics; each one is optional. */
export interface SandboxStats {
  processes?: number;
  isolates?: number;
  recycles?: number;
  crashes?: number;
}

/** A sandbox, with what the service asks of its engine beyond running hooks. */
export interface SandboxEngine {
  sandbox: Sandbox;
  /** Counts for /metrics, read at each scrape. */
  stats?: () => SandboxStats;
  /**
   * Threads or processes that no clean exit can wait for (hooks wedged them). After a stop with
   * some left, the process ends by its signal's default action instead of exit code 0.
   */
  unstoppable?: () => number;
}

export type SandboxFactory = (settings: SandboxSettings) => SandboxEngine;

export function sandboxSettings(config: Config, logger: Logger): SandboxSettings {
  return {
    poolSize: config.sandboxPoolSize,
    memoryLimitMb: config.sandboxMemoryMb,
    processes: config.sandboxProcesses,
    tenantCpuSlots: config.sandboxTenantSlots,
    maxIsolates: config.sandboxMaxIsolates,
    processRssRetireMb: config.sandboxProcessMemoryMb,
    fetch: { allowHosts: config.fetchAllowHosts },
    logger,
  };
}

/**
 * Today's engine: isolated-vm isolates in sandbox processes (src/sandbox/README.md). No hook
 * isolate lives in the service's process, so nothing is unstoppable: a stop always exits 0.
 */
export const createIsolatePoolEngine: SandboxFactory = ({ logger, ...options }) => {
  const sandbox = createSandbox(
    options,
    {
      onReplaced: ({ kind, reason }) =>
        logger.warn({ event: kind === 'crashed' ? 'sandbox-process-crashed' : 'sandbox-process-retired', reason }, 'sandbox process replaced'),
    },
  );
  return { sandbox, stats: () => sandbox.stats(), unstoppable: () => 0 };
};

export interface RunObserver {
  started(): void;
  ended(result: RunResult, request: RunRequest): void;
}

/**
 * The sandbox as the services see it: it counts runs in flight (a stop waits for them), refuses
 * runs once the service stops, and can abandon what is still running when the stop's deadline
 * passes (their callers get an interrupted result at once; the stop records them as interrupted too).
 */
export function gateSandbox(inner: Sandbox, observer: RunObserver) {
  let active = 0;
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  // At the stop's deadline the runs still going end for their callers as interrupted, so that a
  // runHook still waiting is answered (and recorded) before the connections are closed. One
  // settler per run in flight, dropped when it ends: racing every run against one long-lived
  // promise would leave a reaction on it per run, for the life of the process.
  const interrupters = new Set<(result: RunResult) => void>();

  function settle() {
    active--;
    if (active === 0) {
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    }
  }

  const sandbox: Sandbox = {
    async run(request: RunRequest): Promise<RunResult> {
      if (closed) return stoppingResult({ name: 'ServiceStopping', message: 'The service is stopping: the run was not started' });
      active++;
      observer.started();
      let interrupt!: (result: RunResult) => void;
      const interrupted = new Promise<RunResult>((resolve) => (interrupt = resolve));
      interrupters.add(interrupt);
      try {
        const result = await Promise.race([inner.run(request), interrupted]);
        if (!result.interrupted) observer.ended(result, request);
        return result;
      } finally {
        interrupters.delete(interrupt);
        settle();
      }
    },
    checkSyntax: (script) => inner.checkSyntax(script),
    dispose: () => inner.dispose(),
  };

  return {
    sandbox,
    get active() {
      return active;
    },
    /** No new run starts from now on. */
    close() {
      closed = true;
    },
    /** Resolves once no run is in the sandbox. */
    idle(): Promise<void> {
      if (active === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    /** The runs still in the sandbox return to their callers as FAILED Interrupted (their threads are not waited for). */
    abandon() {
      for (const interrupt of interrupters) interrupt({ ...notStartedResult(INTERRUPTED_ERROR), interrupted: true });
      interrupters.clear();
    },
  };
}

export type SandboxGate = ReturnType<typeof gateSandbox>;

/**
 * The engine built on first use: commands that never run or compile a hook (migrate, tenant,
 * token, export, the seed script) start no isolate, thread or process.
 */
export function lazyEngine(factory: SandboxFactory, settings: SandboxSettings): SandboxEngine {
  let engine: SandboxEngine | undefined;
  let disposed = false;
  const built = () => (engine ??= factory(settings));
  return {
    sandbox: {
      run: (request) => (disposed ? Promise.resolve(disposedResult()) : built().sandbox.run(request)),
      checkSyntax: (script) => built().sandbox.checkSyntax(script),
      async dispose() {
        disposed = true;
        await engine?.sandbox.dispose();
      },
    },
    stats: () => engine?.stats?.() ?? {},
    unstoppable: () => engine?.unstoppable?.() ?? 0,
  };
}
