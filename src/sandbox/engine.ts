/**
 * The execution engine of one sandbox process: an isolate per tenant, the CPU slots shared by all
 * of them, and the runs under way. It lives in the sandbox process (child/main.ts); the service
 * talks to it through `ProcessSandbox`.
 */
import { CpuSlots } from './cpu-slots.ts';
import { HostFetcher } from './host-fetch.ts';
import { IsolateWorker } from './isolate-worker.ts';
import type { SandboxOptions } from './options.ts';
import { RunExecution, type ExecutionHost, type LingerListener } from './run-execution.ts';
import { disposedResult } from './run-outcome.ts';
import type { RunRequest, RunResult } from './types.ts';

export class Engine implements ExecutionHost {
  /** The isolate that takes new runs of each tenant (or script of a tenant), least recently used first. */
  private readonly workers = new Map<string, IsolateWorker>();
  /** Isolates alive, retired ones included (they end with their last run). */
  private liveIsolates = 0;
  private readonly executions = new Map<number, RunExecution>();
  private readonly slots: CpuSlots;
  private tokenSequence = 0;
  private hostFetcher: HostFetcher | undefined;
  private disposed = false;

  readonly options: SandboxOptions;
  /** An isolate failed catastrophically: its thread is lost, this process has to be replaced. */
  private readonly onWedged: (message: string) => void;

  constructor(options: SandboxOptions, onWedged: (message: string) => void) {
    this.options = options;
    this.onWedged = onWedged;
    this.slots = new CpuSlots(options.poolSize, options.tenantCpuSlots);
  }

  /** `linger` hears when a successful run's fetches outlive its answer, and when they are over. */
  run(request: RunRequest, linger?: LingerListener): Promise<RunResult> {
    if (this.disposed) return Promise.resolve(disposedResult());
    const tenant = request.tenantId ?? `script:${request.cacheKey}`;
    const isolateKey = this.options.isolatePer === 'tenant' ? tenant : `${tenant}\u0000${request.cacheKey}`;
    return new RunExecution(this, this.workerFor(isolateKey, tenant), request, linger).execute();
  }

  /** Isolates alive in this process (reported with the heartbeat, for /metrics). */
  get isolates(): number {
    return this.liveIsolates;
  }

  /** Runs under way. */
  get activeRuns(): number {
    return this.executions.size;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const execution of [...this.executions.values()]) execution.cancel();
    for (const worker of this.workers.values()) worker.dispose();
    this.workers.clear();
    void this.hostFetcher?.close();
  }

  // ExecutionHost

  fetcher(): HostFetcher {
    this.hostFetcher ??= new HostFetcher(this.options.fetch);
    return this.hostFetcher;
  }

  register(token: number, execution: RunExecution): void {
    this.executions.set(token, execution);
  }

  unregister(token: number): void {
    this.executions.delete(token);
  }

  nextToken(): number {
    return ++this.tokenSequence;
  }

  private workerFor(key: string, tenant: string): IsolateWorker {
    const current = this.workers.get(key);
    if (current !== undefined) {
      // Re-inserted: most recently used.
      this.workers.delete(key);
      if (current.acceptsRuns) {
        this.workers.set(key, current);
        return current;
      }
      // Retired: it ends once its last run has; new runs get a fresh isolate.
    }
    this.evictIdle();
    const worker = new IsolateWorker(key, tenant, this.options, this.slots, (token, level, message) => {
      if (typeof token === 'number') this.executions.get(token)?.onHookLog(level, message);
    });
    this.liveIsolates++;
    worker.onCatastrophe = (message) => this.onWedged(message);
    worker.onDisposed = () => {
      this.liveIsolates--;
      if (this.workers.get(key) === worker) this.workers.delete(key);
    };
    this.workers.set(key, worker);
    return worker;
  }

  /** Keeps the number of isolates (and so the memory they may take) bounded: idle ones go first. */
  private evictIdle(): void {
    if (this.workers.size < this.options.maxIsolates) return;
    for (const [key, worker] of this.workers) {
      if (this.workers.size < this.options.maxIsolates) return;
      if (worker.activeRuns === 0) {
        this.workers.delete(key);
        worker.dispose();
      }
    }
  }
}
