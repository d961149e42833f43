/**
 * The sandbox as the service sees it: hook code runs in sandbox processes (README.md), each
 * tenant's runs in the same one (tenants spread over `processes` by a hash of their id). A process
 * that is gone (wedged, exited) is replaced at once; runs it never started go to its successor.
 */
import { createHash } from 'node:crypto';
import type { SandboxOptions } from './options.ts';
import { disposedResult } from './run-outcome.ts';
import { SandboxProcess, type PendingRun, type ProcessEnd } from './sandbox-process.ts';
import type { RunRequest, RunResult } from './types.ts';

export class ProcessSandbox {
  private readonly processes: SandboxProcess[] = [];
  private inFlight = 0;
  private drainWaiters: (() => void)[] = [];
  private disposed = false;
  /** Processes replaced so far (tests, metrics). */
  replacements = 0;
  /** Processes that died, went silent or were killed with runs in them (the other replacements were retired). */
  crashes = 0;

  constructor(
    private readonly options: SandboxOptions,
    /** Hears each replacement of a process (the service logs them). */
    private readonly onReplaced?: (end: ProcessEnd) => void,
  ) {
    for (let i = 0; i < options.processes; i++) this.processes.push(this.spawn(i));
  }

  run(request: RunRequest): Promise<RunResult> {
    const problem = validateRequest(request);
    if (problem !== null) return Promise.reject(new TypeError(`invalid sandbox run request: ${problem}`));
    if (this.disposed) return Promise.resolve(disposedResult());
    this.inFlight++;
    return this.processes[this.indexOf(request)]!.run(request).finally(() => {
      if (--this.inFlight === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
    });
  }

  /** Resolves once every sandbox process can take runs. */
  async ready(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.started));
  }

  /** Sandbox processes alive and isolates in them (as of their last heartbeats). */
  counts(): { processes: number; isolates: number } {
    return { processes: this.processes.length, isolates: this.processes.reduce((sum, process) => sum + process.isolates, 0) };
  }

  /** Process ids of the sandbox processes now (tests). */
  pids(): number[] {
    return this.processes.map((process) => process.pid ?? 0);
  }

  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.drainWaiters.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.processes.map((process) => process.stop()));
  }

  private spawn(index: number): SandboxProcess {
    return new SandboxProcess(this.options, (gone, unsent, end) => {
      if (this.disposed) return;
      if (end.kind === 'crashed') this.crashes++;
      // A retired process (already replaced) may still be killed, for its memory: a crash, told too.
      if (this.processes[index] !== gone) return this.onReplaced?.(end);
      this.replacements++;
      this.onReplaced?.(end);
      const successor = this.spawn(index);
      this.processes[index] = successor;
      for (const pending of unsent) successor.hand(pending as PendingRun);
    });
  }

  private indexOf(request: RunRequest): number {
    if (this.processes.length === 1) return 0;
    const key = request.tenantId ?? request.cacheKey;
    return createHash('sha1').update(key).digest().readUInt32BE(0) % this.processes.length;
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
