/**
 * One tenant's isolate in a sandbox process, and the warm contexts it keeps. Each concurrent run of
 * a script has a context of its own (an idle one when there is one, else a new one), so runs that
 * await I/O interleave while each one's console lines, timers and fetches stay its own. Calls into
 * the isolate go one at a time through `exclusive`, each holding a CPU slot while it executes.
 *
 * An isolate is never rebuilt in place, as runs may be waiting in it: it is *retired* (after a
 * terminated script, which can leave microtasks behind; after `maxRunsPerIsolate` runs; when its
 * heap passes the threshold) and disposed once its last run has ended; the engine gives new runs a
 * fresh one. Idle contexts are kept least recently used first and evicted beyond
 * `contextsPerIsolate`.
 */
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import ivm from 'isolated-vm';
import type { CpuSlots } from './cpu-slots.ts';
import type { SandboxOptions } from './options.ts';
import { Op, type RuntimeLimits } from './runtime-protocol.ts';
import { RUNTIME_FILENAME, runtimeSource } from './runtime-source.ts';
import type { RunBundle } from './types.ts';
import { HOOK_FILENAME, WRAPPER_COLUMN_OFFSET, wrapScript } from './wrapper.ts';

/** Receives console lines from every context of every isolate, routed by run token. */
export type LogRouter = (token: number, level: unknown, message: unknown) => void;

export interface HookContext {
  readonly cacheKey: string;
  readonly context: ivm.Context;
  /** The runtime's `entry(op, …)`: the only handle into the context the host keeps. */
  readonly entry: ivm.Reference<(...args: unknown[]) => string>;
}

/** What the worker needs from a run on it. */
export interface WorkerRun {
  /** The isolate was disposed under the run (another run in it would not stop): end it now. */
  cutOff(message: string): void;
  /** The isolate failed catastrophically during this run's call. */
  catastrophe(message: string): void;
}

const HEAP_CHECK_EVERY_RUNS = 64;

// On the V8 of Node 24 and 26, a loop that was swapped into optimised code by a concurrent
// on-stack replacement ignores termination: a hook pushing into an array past its memory limit
// kept running and allocating (gigabytes) after its isolate was disposed, and its timeout never
// ended it either. Synchronous on-stack replacement honours it. The flag must be set before the
// first isolate compiles anything: this module is loaded by the sandbox process (child/main.ts),
// the only process that builds hook isolates.
setFlagsFromString('--no-concurrent-osr');

export class IsolateWorker {
  private readonly isolate: ivm.Isolate;
  private readonly runtime: ivm.Script;
  /** Idle contexts per script, keys in least-recently-used order. */
  private readonly idle = new Map<string, HookContext[]>();
  private idleCount = 0;
  private readonly runs = new Set<WorkerRun>();
  private tail: Promise<unknown> = Promise.resolve();
  private runsSinceHeapCheck = 0;
  private runsStarted = 0;
  private retired = false;
  private catastropheReported = false;
  /** Gives back the CPU slot of the call executing now. */
  private releaseSlot: (() => void) | undefined;
  /** The run whose call executes in the isolate now. */
  private executing: WorkerRun | null = null;
  /** Told once when the isolate fails catastrophically: its thread is lost, the process must go. */
  onCatastrophe: ((message: string) => void) | undefined;
  /** Told when the worker is disposed (retired and empty, or killed). */
  onDisposed: (() => void) | undefined;

  /** The engine's key of this isolate (a tenant's script, or the tenant): its queue for CPU slots. */
  readonly key: string;
  readonly tenant: string;
  private readonly options: SandboxOptions;
  private readonly slots: CpuSlots;
  private readonly routeLog: LogRouter;

  constructor(
    key: string,
    tenant: string,
    options: SandboxOptions,
    slots: CpuSlots,
    routeLog: LogRouter,
  ) {
    this.key = key;
    this.tenant = tenant;
    this.options = options;
    this.slots = slots;
    this.routeLog = routeLog;
    const isolate = new ivm.Isolate({
      memoryLimit: options.memoryLimitMb,
      onCatastrophicError: (message) => {
        // isolated-vm's advice is to end the process: the sandbox process is replaced (README.md).
        this.retired = true;
        this.executing?.catastrophe(message);
        this.reportCatastrophe(message);
      },
    });
    this.isolate = isolate;
    this.runtime = isolate.compileScriptSync(runtimeSource(), { filename: RUNTIME_FILENAME });
  }

  get cpuTimeNs(): bigint {
    try {
      return this.isolate.cpuTime;
    } catch {
      return 0n;
    }
  }

  get isDisposed(): boolean {
    return this.isolate.isDisposed;
  }

  /** Whether new runs may be handed to this isolate. */
  get acceptsRuns(): boolean {
    return !this.retired && !this.isolate.isDisposed && this.runsStarted < this.options.maxRunsPerIsolate;
  }

  /** Runs on this isolate now (started and not ended). */
  get activeRuns(): number {
    return this.runs.size;
  }

  runStarted(run: WorkerRun): void {
    this.runs.add(run);
    this.runsStarted++;
  }

  /** The run is over and nothing of it executes in the isolate any more. */
  runEnded(run: WorkerRun): void {
    this.runs.delete(run);
    if (++this.runsSinceHeapCheck >= HEAP_CHECK_EVERY_RUNS) this.checkHeap();
    if (this.runsStarted >= this.options.maxRunsPerIsolate) this.retired = true;
    if (this.retired && this.runs.size === 0) this.dispose();
  }

  /**
   * Runs `call` when the isolate is free and a CPU slot is granted; `call` is the only code that
   * may call into the isolate meanwhile.
   */
  exclusive<T>(run: WorkerRun, call: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(async () => {
      const release = await this.slots.acquire(this.tenant, this.key);
      this.executing = run;
      this.releaseSlot = release;
      try {
        return await call();
      } finally {
        this.executing = null;
        this.releaseSlot = undefined;
        release();
      }
    });
    // A wedged call never settles: the process is replaced then (README.md), so the chain may stall.
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** An idle warm context for this script, or undefined (the caller then builds one with `createContext`). */
  checkout(cacheKey: string): HookContext | undefined {
    const list = this.idle.get(cacheKey);
    const hit = list?.pop();
    if (hit === undefined) return undefined;
    this.idleCount--;
    if (list!.length === 0) this.idle.delete(cacheKey);
    return hit;
  }

  /** A context whose run has ended, kept warm for the next run of its script. */
  checkin(hookContext: HookContext): void {
    if (this.isolate.isDisposed || this.retired) return releaseContext(hookContext);
    const list = this.idle.get(hookContext.cacheKey) ?? [];
    // Re-inserting the key marks it most recently used.
    this.idle.delete(hookContext.cacheKey);
    list.push(hookContext);
    this.idle.set(hookContext.cacheKey, list);
    this.idleCount++;
    while (this.idleCount > this.options.contextsPerIsolate) {
      const [oldestKey, oldest] = this.idle.entries().next().value as [string, HookContext[]];
      releaseContext(oldest.shift()!);
      this.idleCount--;
      if (oldest.length === 0) this.idle.delete(oldestKey);
    }
  }

  /**
   * Builds a context with the runtime installed and the hook's wrapper evaluated (its top level runs
   * on the first run). A script that breaks out of the wrapper runs its code here: `timeoutMs`
   * bounds each step, and every step runs off the main thread. Call it inside `exclusive`.
   */
  async createContext(cacheKey: string, script: string, timeoutMs: number, bundle?: RunBundle): Promise<HookContext> {
    const timeout = Math.max(1, Math.ceil(timeoutMs));
    const hookScript = await this.isolate.compileScript(wrapScript(script), { filename: HOOK_FILENAME });
    const bundleScript = bundle === undefined ? undefined : await this.isolate.compileScript(bundle.source, { filename: `hookgate:packages/${bundle.hash}` });
    const context = await this.isolate.createContext();
    try {
      const boot = (await this.runtime.run(context, { reference: true, timeout })) as ivm.Reference<(...args: unknown[]) => unknown>;
      const postLog = new ivm.Callback(this.routeLog, { ignored: true });
      const entry = (await boot.apply(undefined, [postLog, limitsJson(this.options)], { result: { reference: true }, timeout })) as HookContext['entry'];
      boot.release();
      const factory = (await hookScript.run(context, { reference: true, timeout })) as ivm.Reference<unknown>;
      // The packages bundle (src/packages/) evaluates to the table the runtime's `require` asks.
      const modules = bundleScript === undefined ? undefined : ((await bundleScript.run(context, { reference: true, timeout })) as ivm.Reference<unknown>);
      const seed = randomBytes(32).toString('hex');
      const hookFactory = factory.derefInto({ release: true });
      const init = modules === undefined ? [Op.init, hookFactory, seed] : [Op.init, hookFactory, seed, modules.derefInto({ release: true })];
      await entry.apply(undefined, init, { timeout });
      // New contexts are the main source of heap growth: check soon.
      this.runsSinceHeapCheck = HEAP_CHECK_EVERY_RUNS;
      return { cacheKey, context, entry };
    } catch (error) {
      context.release();
      throw error;
    } finally {
      hookScript.release();
      bundleScript?.release();
    }
  }

  /** Forgets a context whose module failed to load (or whose run broke it): the next run builds afresh. */
  discard(hookContext: HookContext): void {
    releaseContext(hookContext);
  }

  /** No new runs here; disposed once the last run on it has ended (a terminated script may have left microtasks). */
  retire(): void {
    this.retired = true;
    if (this.runs.size === 0) this.dispose();
  }

  /** A call would not stop: its thread is lost, the process has to be replaced. */
  wedge(message: string): void {
    this.retired = true;
    this.reportCatastrophe(message);
  }

  dispose(): void {
    this.retired = true;
    for (const list of this.idle.values()) for (const hookContext of list) releaseContext(hookContext);
    this.idle.clear();
    this.idleCount = 0;
    if (!this.isolate.isDisposed) {
      try {
        this.isolate.dispose();
      } catch {
        // Already going.
      }
      this.onDisposed?.();
    }
  }

  /**
   * The isolate's thread is lost: the call on it never returns. Its CPU slot is given back (the
   * process is retired and killed soon) and the other runs on it end, as they would wait for ever.
   */
  private reportCatastrophe(message: string): void {
    if (this.catastropheReported) return;
    this.catastropheReported = true;
    this.releaseSlot?.();
    this.releaseSlot = undefined;
    for (const run of [...this.runs]) if (run !== this.executing) run.cutOff('The sandbox isolate running this hook was lost: another run of the same hook did not stop');
    this.onCatastrophe?.(message);
  }

  private checkHeap(): void {
    this.runsSinceHeapCheck = 0;
    if (this.isolate.isDisposed || this.retired) return;
    if (this.executing !== null) {
      // Asked asynchronously: a synchronous call would wait on the main thread for a busy (or wedged) isolate.
      void this.isolate.getHeapStatistics().then((heap) => this.retireIfLarge(heap), () => undefined);
      return;
    }
    this.retireIfLarge(this.isolate.getHeapStatisticsSync());
  }

  private retireIfLarge(heap: ivm.HeapStatistics): void {
    const used = heap.used_heap_size + heap.externally_allocated_size;
    if (used > this.options.heapRebuildRatio * this.options.memoryLimitMb * 1024 * 1024) this.retire();
  }
}

function limitsJson(options: SandboxOptions): string {
  const limits: RuntimeLimits = {
    maxLogLines: options.maxLogLines,
    maxLogLineBytes: options.maxLogLineBytes,
    maxTimers: options.maxTimersPerRun,
    maxFetches: options.fetch.maxRequestsPerRun,
    maxFetchBodyBytes: options.fetch.maxResponseBytes,
    maxFetchHeaders: options.fetch.maxRequestHeaders,
    maxFetchHeadBytes: options.fetch.maxRequestHeadBytes,
    maxResponseBytes: options.maxResponseBytes,
    maxResponseDepth: options.maxResponseDepth,
    wrapperColumnOffset: WRAPPER_COLUMN_OFFSET,
  };
  return JSON.stringify(limits);
}

function releaseContext(hookContext: HookContext): void {
  try {
    hookContext.entry.release();
    hookContext.context.release();
  } catch {
    // Already gone with its isolate.
  }
}
