/**
 * The pool of isolate workers and the queue in front of it. A worker runs one hook at a time: a run
 * that has to be killed (an endless loop, an exhausted heap) only ever takes its own isolate down,
 * while the other workers keep serving the queue. A run's timeout starts when it gets a worker.
 */
import { HostFetcher } from './host-fetch.ts';
import { IsolateWorker } from './isolate-worker.ts';
import type { SandboxOptions } from './options.ts';
import { RunExecution, type ExecutionHost } from './run-execution.ts';
import { notStartedResult } from './run-outcome.ts';
import type { RunRequest, RunResult } from './types.ts';

interface QueuedRun {
  request: RunRequest;
  resolve: (result: Promise<RunResult>) => void;
}

export class IsolatePool implements ExecutionHost {
  private readonly idle: IsolateWorker[] = [];
  private readonly workers: IsolateWorker[] = [];
  private readonly queue: QueuedRun[] = [];
  private readonly executions = new Map<number, RunExecution>();
  private tokenSequence = 0;
  private hostFetcher: HostFetcher | undefined;
  private disposed = false;

  constructor(readonly options: SandboxOptions) {
    const routeLog = (token: unknown, level: unknown, message: unknown) => {
      if (typeof token === 'number') this.executions.get(token)?.onHookLog(level, message);
    };
    for (let i = 0; i < options.poolSize; i++) {
      const worker = new IsolateWorker(options, routeLog);
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  run(request: RunRequest): Promise<RunResult> {
    const problem = validateRequest(request);
    if (problem !== null) return Promise.reject(new TypeError(`invalid sandbox run request: ${problem}`));
    if (this.disposed) return Promise.resolve(disposedResult());
    const worker = this.idle.pop();
    if (worker !== undefined) return this.start(worker, request);
    return new Promise((resolve) => this.queue.push({ request, resolve }));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const queued of this.queue.splice(0)) queued.resolve(Promise.resolve(disposedResult()));
    for (const execution of [...this.executions.values()]) execution.cancel();
    for (const worker of this.workers) worker.dispose();
    await this.hostFetcher?.close();
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

  release(worker: IsolateWorker): void {
    if (this.disposed) {
      worker.dispose();
      return;
    }
    const next = this.queue.shift();
    if (next === undefined) {
      this.idle.push(worker);
      return;
    }
    // Started from a microtask: a long queue of instant runs must not grow the call stack.
    queueMicrotask(() => next.resolve(this.start(worker, next.request)));
  }

  private start(worker: IsolateWorker, request: RunRequest): Promise<RunResult> {
    // A run that waited for a worker may no longer be allowed to start (its hook was refused meanwhile).
    const refusal = request.mayStart?.();
    if (refusal) {
      queueMicrotask(() => this.release(worker));
      return Promise.resolve(notStartedResult(refusal));
    }
    try {
      worker.prepare();
      return new RunExecution(this, worker, request).execute();
    } catch (error) {
      // Only a broken isolate (it could not be rebuilt) gets here; the run fails, the worker retries later.
      worker.taint();
      queueMicrotask(() => this.release(worker));
      return Promise.resolve(notStartedResult({ name: 'SandboxError', message: `The sandbox could not start the run: ${(error as Error).message}` }));
    }
  }
}

function validateRequest(request: RunRequest): string | null {
  if (request === null || typeof request !== 'object') return 'not an object';
  if (typeof request.cacheKey !== 'string' || request.cacheKey === '') return 'cacheKey must be a non-empty string';
  if (typeof request.script !== 'string') return 'script must be a string';
  if (!Array.isArray(request.args)) return 'args must be an array';
  if (!Number.isFinite(request.timeoutMs) || request.timeoutMs <= 0) return 'timeoutMs must be a positive number';
  if (request.env !== undefined && (request.env === null || typeof request.env !== 'object')) return 'env must be an object';
  return null;
}

function disposedResult(): RunResult {
  return notStartedResult({ name: 'SandboxDisposed', message: 'The sandbox was shut down before the run started' });
}
