/**
 * One run of one hook on one isolate worker: calls into the isolate, reads its outbox, keeps the
 * run's host timers and fetches, and enforces the wall-clock deadline with a host-side watchdog
 * (isolated-vm's own `timeout` only covers a synchronous call, not a hook awaiting a promise).
 *
 * Call paths. Every call that can run hook code goes through the async `apply`, on isolated-vm's
 * threads: the host's event loop stays free while a hook computes, loops or hangs, and an
 * out-of-memory V8 cannot recover from (which parks the thread that hit it for good) costs an
 * isolated-vm thread, never the main thread. Only the poll after a call, which runs no hook code,
 * is synchronous.
 */
import type { HostFetcher } from './host-fetch.ts';
import type { HookContext, IsolateWorker } from './isolate-worker.ts';
import type { SandboxOptions } from './options.ts';
import { RunEffects, type Delivery } from './run-effects.ts';
import { RunLogs } from './run-logs.ts';
import {
  catastropheSettlement,
  entryFailure,
  exceedsDepth,
  normalizeError,
  parseOutbox,
  sandboxFailure,
  timeoutSettlement,
  type Settlement,
} from './run-outcome.ts';
import { parseCompileError } from './syntax-check.ts';
import type { RunRequest, RunResult } from './types.ts';

/** What an execution needs from the pool. */
export interface ExecutionHost {
  readonly options: SandboxOptions;
  fetcher(): HostFetcher;
  register(token: number, execution: RunExecution): void;
  unregister(token: number): void;
  nextToken(): number;
  /** The execution is over and nothing of it runs in the isolate any more. */
  release(worker: IsolateWorker): void;
}

export class RunExecution {
  readonly logs: RunLogs;
  private token: number;
  private hookContext!: HookContext;
  private settlement: Settlement | null = null;
  private expectedLogs = 0;
  private style = 'unknown';
  private inFlight = 0;
  private finished = false;
  private released = false;
  /** Answered, but fetches the hook started go on until they end or the deadline (as on webtask). */
  private lingering = false;
  private readonly startTime = performance.now();
  private readonly deadline: number;
  private cpuStart = 0n;
  private watchdog: NodeJS.Timeout | undefined;
  // Made on the first timer or fetch: most runs have neither.
  private effects: RunEffects | undefined;
  // The promise is only made when a run is awaited before it finished.
  private outcome: RunResult | undefined;
  private resolveOutcome: ((result: RunResult) => void) | undefined;
  private outcomePromise: Promise<RunResult> | undefined;

  constructor(
    private readonly host: ExecutionHost,
    private readonly worker: IsolateWorker,
    private readonly request: RunRequest,
  ) {
    const { options } = host;
    this.deadline = this.startTime + request.timeoutMs;
    this.logs = new RunLogs(options.maxLogLines, options.maxLogLineBytes, request.onLog);
    this.token = host.nextToken();
    host.register(this.token, this);
    worker.onCatastrophe = (message) => this.onCatastrophe(message);
  }

  execute(): Promise<RunResult> {
    const { cacheKey } = this.request;
    let payload: string;
    try {
      // The trailing null is the callback's slot (see the runtime's startRun).
      payload = JSON.stringify({ args: [...this.request.args, null], env: this.request.env ?? {} });
    } catch (error) {
      this.settle({ status: 'FAILED', error: { name: 'InvalidArguments', message: `The run's arguments are not JSON: ${(error as Error).message}` } });
      return this.finishNow();
    }
    // The run's result comes from its settlement or the watchdog, never from the start returning:
    // building a context can wedge its isolate, and that call never returns at all.
    void this.startAsync(this.worker.warmContext(cacheKey), payload);
    return this.result();
  }

  /** A console line from the isolate for this run. */
  onHookLog(level: unknown, message: unknown): void {
    if (this.finished && !this.lingering) return;
    this.logs.addFromHook(level, message);
    if (this.settlement !== null) this.checkDone();
  }

  /** Ends the run at once (the sandbox is shutting down). */
  cancel(): void {
    if (this.finished) return this.endLinger();
    this.settle({ status: 'FAILED', error: { name: 'SandboxDisposed', message: 'The sandbox was shut down before the run finished' } });
    this.worker.kill();
    this.finishNow();
  }

  /** The isolate failed beyond repair while this run was on it: end the run now, drop the isolate. */
  private onCatastrophe(message: string): void {
    if (this.finished) {
      if (this.lingering) this.worker.kill();
      return this.endLinger();
    }
    this.request.onIsolateLost?.();
    this.settle(catastropheSettlement(message, this.host.options.memoryLimitMb));
    this.worker.kill();
    this.finishNow();
  }

  private async startAsync(warm: HookContext | undefined, payload: string): Promise<void> {
    this.armWatchdog();
    if (warm !== undefined) {
      this.hookContext = warm;
    } else {
      // Building the context is a call into the isolate like any other: the watchdog sees it busy.
      this.inFlight++;
      try {
        this.hookContext = await this.worker.createContext(this.request.cacheKey, this.request.script, this.deadline - performance.now(), this.request.bundle);
      } catch (error) {
        this.inFlight--;
        const problem = parseCompileError(error);
        if (this.finished) {
          // Ended meanwhile (deadline, catastrophe): whatever stopped the build may have left state behind.
          this.worker.taint();
          this.releaseWhenIdle();
        } else if (problem !== null) {
          this.settle({ status: 'FAILED', error: problem });
          this.finishNow();
        } else {
          this.onEntryError(error);
        }
        return;
      }
      this.inFlight--;
    }
    if (this.finished) return this.releaseWhenIdle();
    this.cpuStart = this.worker.cpuTimeNs;
    // Not awaited: the run's result comes from its settlement or the watchdog, never from the call
    // returning. A call into an isolate that died of a catastrophic error never returns at all.
    this.enter(['start', this.token, payload]).catch((error: unknown) => this.onEntryError(error));
  }

  /** An asynchronous call into the isolate, then a poll for what its microtasks produced. */
  private async enter(args: (string | number)[]): Promise<void> {
    const remaining = Math.ceil(this.deadline - performance.now());
    if (remaining <= 0 || (this.finished && !this.lingering)) return;
    this.inFlight++;
    let out: unknown;
    try {
      out = await this.hookContext.entry.apply(undefined, args, { timeout: remaining });
    } catch (error) {
      this.inFlight--;
      if (!this.finished) this.onEntryError(error);
      else if (this.lingering) this.worker.taint();
      this.endLinger();
      this.releaseWhenIdle();
      return;
    }
    this.inFlight--;
    if (this.finished && !this.lingering) return this.releaseWhenIdle();
    this.absorb(out);
    // A poll runs no hook code, but it must not wait on an isolate still busy with another call.
    // After a success too when the hook has packages: their Node modules start requests from
    // microtasks (a stream's nextTick) that may run after the answer (lingering). Plain hooks skip
    // this poll, which costs a trivial run some 10%.
    const pollAfterAnswer = this.settlement?.status === 'SUCCEEDED' && this.request.bundle !== undefined;
    if ((this.settlement === null || pollAfterAnswer) && this.inFlight === 0 && (!this.finished || this.lingering)) {
      try {
        this.absorb(this.hookContext.entry.applySync(undefined, ['poll'], { timeout: Math.max(1, remaining) }));
      } catch (error) {
        if (!this.lingering) this.onEntryError(error);
        else this.worker.taint();
        return this.endLinger();
      }
    }
    if (this.lingering) {
      if (this.inFlight === 0 && (this.effects?.pendingFetches ?? 0) === 0) this.endLinger();
      return;
    }
    this.checkDone();
  }

  private absorb(out: unknown): void {
    const parsed = parseOutbox(out);
    if (parsed === null) return this.settle(sandboxFailure('The sandbox runtime answered with an unreadable message'));
    if (typeof parsed.logs === 'number' && parsed.logs > this.expectedLogs) this.expectedLogs = parsed.logs;
    if (typeof parsed.style === 'string') this.style = parsed.style;
    for (const message of parsed.msgs) {
      switch (message.t) {
        case 'done':
          // The runtime already refuses deep responses; checked again here, whatever the isolate claims.
          if (exceedsDepth(message.r, this.host.options.maxResponseDepth)) {
            this.settle({ status: 'FAILED', error: { name: 'ResponseTooDeep', message: `The response nests objects and arrays more than ${this.host.options.maxResponseDepth} levels deep` } });
          } else {
            this.settle({ status: 'SUCCEEDED', response: message.r === undefined ? null : message.r });
          }
          break;
        case 'fail':
          this.settle({ status: 'FAILED', error: normalizeError(message.error) });
          if (message.unload) this.worker.dropContext(this.request.cacheKey);
          break;
        case 'timer':
          if (this.settlement === null) this.runEffects().setTimer(Number(message.id), Number(message.ms), message.repeat === true);
          break;
        case 'clear':
          this.effects?.clearTimer(Number(message.id));
          break;
        case 'fetch':
          if ((this.settlement === null || this.settlement.status === 'SUCCEEDED' || this.lingering) && message.req) {
            this.runEffects().fetch(Number(message.id), message.req);
          }
          break;
      }
    }
  }

  private runEffects(): RunEffects {
    this.effects ??= new RunEffects(this.host.options, () => this.host.fetcher(), (delivery: Delivery) => {
      void this.enter([delivery[0], this.token, ...delivery.slice(1)] as (string | number)[]);
    });
    return this.effects;
  }

  private settle(settlement: Settlement): void {
    if (this.settlement === null) this.settlement = settlement;
  }

  private onEntryError(error: unknown): void {
    // Whatever happened, the isolate is suspect: a terminated script can leave microtasks behind.
    this.worker.taint();
    this.settle(entryFailure(error, this.worker.isDisposed, this.host.options.memoryLimitMb, this.timeoutContext(true)));
    this.finishNow();
  }

  private timeoutContext(busy: boolean) {
    return { timeoutMs: this.request.timeoutMs, busy, style: this.style, pendingFetches: this.effects?.pendingFetches ?? 0 };
  }

  private armWatchdog(): void {
    if (this.watchdog !== undefined) return;
    this.watchdog = setTimeout(() => this.onDeadline(), Math.max(0, this.deadline - performance.now()));
  }

  private onDeadline(): void {
    if (this.finished) return;
    if (this.inFlight > 0 && this.settlement === null) {
      // Busy: isolated-vm's own timeout should stop it now; past the margin, dispose the isolate.
      this.watchdog = setTimeout(() => {
        if (this.finished && this.inFlight === 0) return;
        this.settle(timeoutSettlement(this.timeoutContext(true)));
        this.worker.kill();
        this.finishNow();
      }, this.host.options.watchdogMarginMs);
      return;
    }
    // Idle: the hook waits for something that did not come in time (or log lines are still on their way).
    this.settle(timeoutSettlement(this.timeoutContext(false)));
    this.finishNow();
  }

  private checkDone(): void {
    if (!this.finished && this.settlement !== null && this.logs.received >= this.expectedLogs) this.finishNow();
  }

  private result(): Promise<RunResult> {
    if (this.outcome !== undefined) return Promise.resolve(this.outcome);
    this.outcomePromise ??= new Promise<RunResult>((resolve) => (this.resolveOutcome = resolve));
    return this.outcomePromise;
  }

  private finishNow(): Promise<RunResult> {
    if (this.finished) return this.result();
    this.finished = true;
    const settlement = this.settlement ?? sandboxFailure('The run ended without a result');
    const cpuEnd = this.worker.cpuTimeNs;
    const cpuTimeMs = cpuEnd >= this.cpuStart ? Number(cpuEnd - this.cpuStart) / 1e6 : 0;
    const outcome: RunResult = {
      status: settlement.status,
      response: settlement.response,
      error: settlement.error ?? null,
      logs: this.logs.lines,
      logsTruncated: this.logs.truncated,
      durationMs: performance.now() - this.startTime,
      cpuTimeMs,
    };
    if (settlement.status !== 'SUCCEEDED') delete outcome.response;
    if (settlement.isolateLost) outcome.isolateLost = true;
    this.outcome = outcome;
    this.resolveOutcome?.(outcome);
    clearTimeout(this.watchdog);
    if (settlement.status === 'SUCCEEDED' && this.inFlight === 0 && (this.effects?.pendingFetches ?? 0) > 0 && !this.worker.isDisposed) {
      // As on webtask: the answer goes back now, while requests the hook started may finish within
      // its timeout; their console lines still reach onLog. The isolate stays this run's meanwhile.
      this.lingering = true;
      this.watchdog = setTimeout(() => this.endLinger(), Math.max(0, this.deadline - performance.now()));
      return this.result();
    }
    this.effects?.stop();
    this.host.unregister(this.token);
    if (this.inFlight === 0 || this.worker.isDisposed) {
      this.releaseWhenIdle();
    } else {
      // A call of this run is still executing in the isolate (the run settled from another call,
      // or it was cancelled): it may finish until the deadline, then the isolate is killed.
      const killAfter = Math.max(0, this.deadline - performance.now()) + this.host.options.watchdogMarginMs;
      this.watchdog = setTimeout(() => {
        if (this.inFlight === 0) return;
        this.worker.kill();
        this.releaseWhenIdle();
      }, killAfter);
    }
    return this.result();
  }

  /** The lingering fetches are done, or out of time: stop them and give the isolate back. */
  private endLinger(): void {
    if (!this.lingering) return;
    this.lingering = false;
    this.effects?.stop();
    this.host.unregister(this.token);
    clearTimeout(this.watchdog);
    if (this.inFlight > 0 && !this.worker.isDisposed) {
      this.watchdog = setTimeout(() => {
        if (this.inFlight === 0) return;
        this.worker.kill();
        this.releaseWhenIdle();
      }, this.host.options.watchdogMarginMs);
      return;
    }
    this.releaseWhenIdle();
  }

  private releaseWhenIdle(): void {
    // Calls still in flight in a killed isolate are not waited for: the worker builds a new isolate
    // before its next run, and after a catastrophic error (an out-of-memory V8 could not recover
    // from) such a call never comes back, which would otherwise cost the pool this worker for good.
    if (!this.finished || this.lingering || this.released || (this.inFlight > 0 && !this.worker.isDisposed)) return;
    this.released = true;
    this.worker.onCatastrophe = undefined;
    clearTimeout(this.watchdog);
    this.worker.runFinished();
    this.host.release(this.worker);
  }
}
