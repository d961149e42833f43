/**
 * One run of one hook on its tenant's isolate, from its request to its result. Its calls into the
 * isolate (`run-calls.ts`: a context, the start, then its timer firings and fetch answers, with its
 * host timers and fetches) tell it its answer or failure; it ends with that answer once its console
 * lines are in, at its deadline (`run-clock.ts`, `run-watchdog.ts`), or cut off with its isolate or
 * process; then its context goes back to the isolate, or is discarded.
 *
 * Lingering (as on webtask): after a successful answer, fetches the hook started (its packages' http
 * clients) go on until they end or the deadline, and their console lines still reach `onLog`.
 */
import type { HostFetcher } from './host-fetch.ts';
import type { IsolateWorker } from './isolate-worker.ts';
import type { SandboxOptions } from './options.ts';
import { RunCalls, type CallingRun } from './run-calls.ts';
import { RunClock } from './run-clock.ts';
import { RunLogs } from './run-logs.ts';
import { catastropheSettlement, crashSettlement, entryFailure, sandboxFailure, settledResult, timeoutSettlement, type Settlement } from './run-outcome.ts';
import { RunWatchdog, type WatchedRun } from './run-watchdog.ts';
import type { RunError, RunRequest, RunResult } from './types.ts';

/** What an execution needs from the engine. */
export interface ExecutionHost {
  readonly options: SandboxOptions;
  fetcher(): HostFetcher;
  register(token: number, execution: RunExecution): void;
  unregister(token: number): void;
  nextToken(): number;
}

/** Told when a run answered but its fetches go on (`started`), and when they are done or cut (`ended`). */
export interface LingerListener {
  started(): void;
  ended(): void;
}

export class RunExecution implements CallingRun, WatchedRun {
  readonly logs: RunLogs;
  private readonly token: number;
  private contextBroken = false;
  private settlement: Settlement | null = null;
  private expectedLogs = 0;
  private style = 'unknown';
  private hasFinished = false;
  private released = false;
  /** Answered, but fetches the hook started go on until they end or the deadline. */
  private isLingering = false;
  private readonly clock: RunClock;
  private readonly watchdog: RunWatchdog;
  private readonly calls: RunCalls;
  private resolveOutcome!: (result: RunResult) => void;
  private readonly outcome = new Promise<RunResult>((resolve) => (this.resolveOutcome = resolve));

  private readonly host: ExecutionHost;
  private readonly worker: IsolateWorker;
  private readonly request: RunRequest;
  private readonly linger: LingerListener | undefined;

  constructor(
    host: ExecutionHost,
    worker: IsolateWorker,
    request: RunRequest,
    linger?: LingerListener,
  ) {
    this.host = host;
    this.worker = worker;
    this.request = request;
    this.linger = linger;
    this.clock = new RunClock(request.timeoutMs);
    this.logs = new RunLogs(host.options.maxLogLines, host.options.maxLogLineBytes, request.onLog);
    this.token = host.nextToken();
    this.watchdog = new RunWatchdog(this, this.clock, host.options.watchdogMarginMs);
    this.calls = new RunCalls(this, host, worker, request, this.token, this.clock, this.watchdog);
    host.register(this.token, this);
    worker.runStarted(this);
  }

  execute(): Promise<RunResult> {
    let payload: string;
    try {
      // The trailing null is the callback's slot (see the runtime's startRun).
      payload = JSON.stringify({ args: [...this.request.args, null], env: this.request.env ?? {} });
    } catch (error) {
      this.settle({ status: 'FAILED', error: { name: 'InvalidArguments', message: `The run's arguments are not JSON: ${(error as Error).message}` } });
      this.finishNow();
      return this.outcome;
    }
    this.watchdog.arm();
    // The result comes from the settlement or the watchdog, never from a call returning: a call
    // into an isolate that failed catastrophically never returns at all.
    this.calls.start(payload);
    return this.outcome;
  }

  /** A console line from the isolate for this run. */
  onHookLog(level: unknown, message: unknown): void {
    if (this.hasFinished && !this.isLingering) return;
    this.logs.addFromHook(level, message);
    if (this.settlement !== null) this.checkDone();
  }

  /** Ends the run at once (the sandbox is shutting down). */
  cancel(): void {
    this.cutOff('The sandbox was shut down before the run finished', 'SandboxDisposed');
  }

  // WorkerRun

  cutOff(message: string, name: 'SandboxCrashed' | 'SandboxDisposed' = 'SandboxCrashed'): void {
    this.contextBroken = true;
    if (this.hasFinished) return this.endLinger();
    this.settle(crashSettlement(name, message));
    this.finishNow();
  }

  catastrophe(message: string): void {
    this.contextBroken = true;
    if (this.hasFinished) return this.endLinger();
    if (this.settlement === null) this.settle(catastropheSettlement(message, this.host.options.memoryLimitMb));
    else this.markIsolateLost();
    this.finishNow();
  }

  // CallingRun, WatchedRun

  get executing(): boolean {
    return this.calls.executing;
  }

  get finished(): boolean {
    return this.hasFinished;
  }

  get lingering(): boolean {
    return this.isLingering;
  }

  get settled(): boolean {
    return this.settlement !== null;
  }

  get pollWanted(): boolean {
    return this.settlement === null || (this.settlement.status === 'SUCCEEDED' && this.request.bundle !== undefined);
  }

  /** Still taking fetches and deliveries: running, answered successfully, or lingering. */
  mayDeliver(): boolean {
    if (this.hasFinished) return this.isLingering;
    return this.settlement === null || this.settlement.status === 'SUCCEEDED';
  }

  settle(settlement: Settlement): void {
    if (this.settlement === null) this.settlement = settlement;
  }

  progressed(logs: number | undefined, style: string | undefined): void {
    if (logs !== undefined && logs > this.expectedLogs) this.expectedLogs = logs;
    if (style !== undefined) this.style = style;
  }

  breakContext(): void {
    this.contextBroken = true;
  }

  loadFailed(problem: RunError): void {
    this.settle({ status: 'FAILED', error: problem });
    this.finishNow();
  }

  callFailed(error: unknown): void {
    if (!this.hasFinished) {
      // A terminated script can leave microtasks behind: no new run gets this isolate.
      this.contextBroken = true;
      this.worker.retire();
      this.settle(entryFailure(error, this.worker.isDisposed, this.host.options.memoryLimitMb, this.timeoutContext(true)));
      this.finishNow();
    } else if (this.isLingering) {
      // Effects after the answer failed the isolate (a timeout, say): no new run gets it.
      this.contextBroken = true;
      this.worker.retire();
      this.endLinger();
    }
  }

  turnEnded(): void {
    this.checkDone();
    // Its call ended past the deadline (a flood of timers keeps one executing at any instant): the
    // run ends now, as one waiting for I/O would have, not at the watchdog's margin.
    if (!this.hasFinished && !this.calls.executing && this.clock.passed) this.timeOut(false);
    if (this.isLingering && this.calls.idle) this.endLinger();
    if (this.hasFinished) this.release();
  }

  private timeoutContext(busy: boolean) {
    return { timeoutMs: this.request.timeoutMs, busy, style: this.style, pendingFetches: this.calls.pendingFetches };
  }

  timeOut(busy: boolean): void {
    this.settle(timeoutSettlement(this.timeoutContext(busy)));
    this.contextBroken = true;
    this.finishNow();
  }

  wedge(): void {
    this.settle(timeoutSettlement(this.timeoutContext(true)));
    this.finishNow();
    // Not disposed here: disposing an isolate whose thread is stuck can block this process's own
    // thread. The process is retired instead, and its end ends the thread.
    this.worker.wedge('a hook did not stop at its timeout');
  }

  private markIsolateLost(): void {
    this.settlement = { ...(this.settlement ?? sandboxFailure('The isolate was lost')), isolateLost: true };
  }

  private checkDone(): void {
    if (!this.hasFinished && this.settlement !== null && this.logs.received >= this.expectedLogs) this.finishNow();
  }

  private finishNow(): void {
    if (this.hasFinished) return;
    this.hasFinished = true;
    this.clock.stop();
    const settlement = this.settlement ?? sandboxFailure('The run ended without a result');
    const outcome = settledResult(settlement, this.logs, this.clock.elapsedMs, this.calls.cpuTimeMs);
    if (settlement.status === 'SUCCEEDED' && !this.calls.executing && this.calls.pendingFetches > 0 && !this.worker.isDisposed && !this.contextBroken) {
      // As on webtask: the answer goes back now, while requests the hook started may finish within
      // its timeout; their console lines still reach onLog. The context stays this run's meanwhile.
      this.isLingering = true;
      this.linger?.started();
      this.resolveOutcome(outcome);
      this.clock.atDeadline(() => {
        // Cut at the deadline: the context may hold callbacks of requests that never ended.
        this.contextBroken = true;
        this.endLinger();
      });
      return;
    }
    this.calls.stopEffects();
    this.host.unregister(this.token);
    this.resolveOutcome(outcome);
    this.releaseOrWatch();
  }

  /** The lingering fetches are done, or out of time: stop them and give the context back. */
  private endLinger(): void {
    if (!this.isLingering) return;
    this.isLingering = false;
    this.clock.stop();
    this.calls.stopEffects();
    this.host.unregister(this.token);
    this.linger?.ended();
    this.releaseOrWatch();
  }

  /** The run is over: its context goes back, or, while its call still executes, that call is watched. */
  private releaseOrWatch(): void {
    if (!this.calls.executing) this.release();
    else if (!this.watchdog.gaveUp) this.watchdog.watchLeftoverCall();
  }

  private release(): void {
    if (this.released || this.calls.executing || this.isLingering) return;
    this.released = true;
    this.clock.stop();
    const hookContext = this.calls.hookContext;
    if (hookContext !== undefined) {
      if (this.contextBroken || this.worker.isDisposed) this.worker.discard(hookContext);
      else this.worker.checkin(hookContext);
    }
    this.worker.runEnded(this);
  }
}
