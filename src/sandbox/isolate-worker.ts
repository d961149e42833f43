/**
 * One isolate of the pool and the warm contexts it keeps, one per `cacheKey`, least recently used
 * evicted first. It runs one hook at a time, so killing it (an endless loop, an exhausted heap) never
 * takes another run down. It is rebuilt after a number of runs, when its heap grows past the
 * threshold, and after any termination: a terminated script can leave microtasks behind that would
 * otherwise run during the next hook's call, and contexts whose globals held host functions are
 * never freed by V8, so a long-lived isolate only ever grows.
 */
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import ivm from 'isolated-vm';
import type { SandboxOptions } from './options.ts';
import { RUNTIME_FILENAME, runtimeSource, type RuntimeLimits } from './runtime/index.ts';
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

const HEAP_CHECK_EVERY_RUNS = 64;

// On the V8 of Node 24 and 26, a loop that was swapped into optimised code by a concurrent
// on-stack replacement ignores termination: a hook pushing into an array past its memory limit
// kept running and allocating (gigabytes) after its isolate was disposed, and its timeout never
// ended it either. Synchronous on-stack replacement honours it. The flag must be set before the
// first isolate compiles anything; it costs the host only the rare loop it would optimise mid-call.
setFlagsFromString('--no-concurrent-osr');

let lostThreads = 0;
const lostIsolates = new WeakSet<ivm.Isolate>();
/**
 * Isolates of this process that failed catastrophically. The thread that hit such an error is
 * parked by isolated-vm for good, and a normal exit of the process waits for every thread: once
 * this is above 0, only a kill ends the process (see main.ts).
 */
export const lostIsolateThreads = () => lostThreads;

export class IsolateWorker {
  private isolate!: ivm.Isolate;
  private runtime!: ivm.Script;
  private readonly contexts = new Map<string, HookContext>();
  private readonly limitsJson: string;
  private runsSinceBuild = 0;
  private runsSinceHeapCheck = 0;
  private tainted = false;
  /** Incremented on every rebuild, so a run can tell that its isolate has been replaced. */
  generation = 0;
  /**
   * Told when the isolate fails catastrophically (an out-of-memory V8 could not recover from): the
   * run on it then ends at once instead of at its deadline, as its call into the isolate never returns.
   */
  onCatastrophe: ((message: string) => void) | undefined;

  constructor(
    private readonly options: SandboxOptions,
    private readonly routeLog: LogRouter,
  ) {
    const limits: RuntimeLimits = {
      maxLogLines: options.maxLogLines,
      maxLogLineBytes: options.maxLogLineBytes,
      maxTimers: options.maxTimersPerRun,
      maxFetches: options.fetch.maxRequestsPerRun,
      maxFetchBodyBytes: options.fetch.maxResponseBytes,
      maxResponseBytes: options.maxResponseBytes,
      maxResponseDepth: options.maxResponseDepth,
      wrapperColumnOffset: WRAPPER_COLUMN_OFFSET,
    };
    this.limitsJson = JSON.stringify(limits);
    this.build();
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

  /** A warm context for this key, or undefined (the caller then awaits `createContext`). */
  warmContext(cacheKey: string): HookContext | undefined {
    const hit = this.contexts.get(cacheKey);
    if (hit !== undefined) {
      // Map order is insertion order: re-inserting marks the entry most recently used.
      this.contexts.delete(cacheKey);
      this.contexts.set(cacheKey, hit);
    }
    return hit;
  }

  /** Builds a context with the runtime installed and the hook compiled (not yet evaluated). */
  /**
   * Builds the context of a script, every step off the main thread: the script is pasted into a
   * wrapper, and a script that breaks out of it (syntax checks refuse those, but older rows may hold
   * one) runs its code while the wrapper is evaluated. `timeoutMs` bounds each step.
   */
  async createContext(cacheKey: string, script: string, timeoutMs: number, bundle?: RunBundle): Promise<HookContext> {
    const timeout = Math.max(1, Math.ceil(timeoutMs));
    const hookScript = await this.isolate.compileScript(wrapScript(script), { filename: HOOK_FILENAME });
    const bundleScript = bundle === undefined ? undefined : await this.isolate.compileScript(bundle.source, { filename: `hookgate:packages/${bundle.hash}` });
    const context = await this.isolate.createContext();
    try {
      const boot = (await this.runtime.run(context, { reference: true, timeout })) as ivm.Reference<(...args: unknown[]) => unknown>;
      const postLog = new ivm.Callback(this.routeLog, { ignored: true });
      const entry = (await boot.apply(undefined, [postLog, this.limitsJson], { result: { reference: true }, timeout })) as HookContext['entry'];
      boot.release();
      // Evaluating the wrapper only creates the module function; the hook's top level runs on its first run.
      const factory = (await hookScript.run(context, { reference: true, timeout })) as ivm.Reference<unknown>;
      // The packages bundle (src/packages/) evaluates to the table the runtime's `require` asks.
      const modules = bundleScript === undefined ? undefined : ((await bundleScript.run(context, { reference: true, timeout })) as ivm.Reference<unknown>);
      const init = ['init', factory.derefInto({ release: true }), randomBytes(32).toString('hex')];
      if (modules !== undefined) init.push(modules.derefInto({ release: true }));
      await entry.apply(undefined, init, { timeout });
      const hookContext: HookContext = { cacheKey, context, entry };
      this.contexts.set(cacheKey, hookContext);
      this.evictBeyondCapacity();
      // New contexts are the main source of heap growth: check soon.
      this.runsSinceHeapCheck = HEAP_CHECK_EVERY_RUNS;
      return hookContext;
    } catch (error) {
      context.release();
      throw error;
    } finally {
      hookScript.release();
      bundleScript?.release();
    }
  }

  /** Forgets a context whose module failed to load, so the next run loads it afresh. */
  dropContext(cacheKey: string): void {
    const hookContext = this.contexts.get(cacheKey);
    if (hookContext === undefined) return;
    this.contexts.delete(cacheKey);
    releaseContext(hookContext);
  }

  /** Stops whatever the isolate is running now; pending calls into it reject. Rebuilt on `prepare`. */
  kill(): void {
    this.tainted = true;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** Marks the isolate for a rebuild before its next run (e.g. after a terminated script). */
  taint(): void {
    this.tainted = true;
  }

  runFinished(): void {
    this.runsSinceBuild++;
    this.runsSinceHeapCheck++;
  }

  /** Called between runs: rebuilds the isolate when it is dead, tainted, old or its heap is too big. */
  prepare(): void {
    if (this.tainted || this.isolate.isDisposed || this.runsSinceBuild >= this.options.maxRunsPerIsolate) {
      this.rebuild();
      return;
    }
    if (this.runsSinceHeapCheck >= HEAP_CHECK_EVERY_RUNS) {
      this.runsSinceHeapCheck = 0;
      const heap = this.isolate.getHeapStatisticsSync();
      const used = heap.used_heap_size + heap.externally_allocated_size;
      if (used > this.options.heapRebuildRatio * this.options.memoryLimitMb * 1024 * 1024) this.rebuild();
    }
  }

  dispose(): void {
    this.contexts.clear();
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private rebuild(): void {
    this.dispose();
    this.build();
  }

  private build(): void {
    const isolate = new ivm.Isolate({
      memoryLimit: this.options.memoryLimitMb,
      onCatastrophicError: (message) => {
        // isolated-vm's advice is to stop the process; a self-hosted service would rather drop the isolate.
        process.emitWarning(`hookgate sandbox: catastrophic isolate error: ${message}`);
        // One isolate can report twice (the out-of-memory, then its timer finding it stuck).
        if (!lostIsolates.has(isolate)) {
          lostIsolates.add(isolate);
          lostThreads++;
        }
        // A late report about an isolate already replaced concerns no current run.
        if (isolate !== this.isolate) return;
        this.tainted = true;
        this.onCatastrophe?.(message);
      },
    });
    this.isolate = isolate;
    this.runtime = this.isolate.compileScriptSync(runtimeSource, { filename: RUNTIME_FILENAME });
    this.tainted = false;
    this.runsSinceBuild = 0;
    this.runsSinceHeapCheck = 0;
    this.generation++;
  }

  private evictBeyondCapacity(): void {
    while (this.contexts.size > this.options.contextsPerIsolate) {
      const oldest = this.contexts.values().next().value as HookContext;
      this.contexts.delete(oldest.cacheKey);
      releaseContext(oldest);
    }
  }
}

function releaseContext(hookContext: HookContext): void {
  try {
    hookContext.entry.release();
    hookContext.context.release();
  } catch {
    // Already gone with its isolate.
  }
}
