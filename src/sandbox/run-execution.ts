/**
 * One run of one hook on its tenant's isolate: takes a context, calls into the isolate (each call
 * through the worker's `exclusive`, holding a CPU slot while it executes), reads the outbox, keeps
 * the run's host timers and fetches, and enforces the wall-clock deadline with a watchdog
 * (isolated-vm's own `timeout` only covers a call, not a hook awaiting a promise).
 *
 * Between calls the run holds no slot: a run awaiting a fetch or a timer costs nothing but its
 * context. At the deadline, a waiting run ends alone; an executing one is stopped by isolated-vm's
 * timeout (the isolate is retired), and a call still busy `watchdogMarginMs` later counts as a
 * wedge: the sandbox process is replaced (README.md).
 *
 * Lingering (as on webtask): after a successful answer, fetches the hook started (its packages' http
 * clients) go on until they end or the deadline, and their console lines still reach `onLog`.
 */
import type { HostFetcher } from './host-fetch.ts';
import type { HookContext, IsolateWorker, WorkerRun } from './isolate-worker.ts';
import type { SandboxOptions } from './options.ts';
import { RunEffects, type Delivery } from './run-effects.ts';
import { RunLogs } from './run-logs.ts';
import {
  catastropheSettlement,
  crashSettlement,
  entryFailure,
  exceedsDepth,
  normalizeError,
  parseOutbox,
  sandboxFailure,
  timeoutSettlement,
  type Settlement,
} from './run-outcome.ts';
import { Op, Out } from './runtime-protocol.ts';
import { parseCompileError } from './syntax-check.ts';
import type { RunRequest, RunResult } from './types.ts';

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

export class RunExecution implements WorkerRun {
  readonly logs: RunLogs;
  private readonly token: number;
  private hookContext: HookContext | undefined;
  private contextBroken = false;
  private settlement: Settlement | null = null;
  private expectedLogs = 0;
  private style = 'unknown';
  private executing = false;
  private finished = false;
  private released = false;
  /** Answered, but fetches the hook started go on until they end or the deadline. */
  private lingering = false;
  private readonly startTime = performance.now();
  private deadline: number;
  /** Since when the run's next call waits for its isolate and a CPU slot; null when none waits. */
  private queuedSince: number | null = null;
  /** When the run's last call ended: a call queued behind the run's own call waits on the hook's time. */
  private lastCallEnded = 0;
  /** The watchdog disposed the isolate under this run's call. */
  private killed = false;
  private cpuNs = 0n;
  private watchdog: NodeJS.Timeout | undefined;
  // Made on the first timer or fetch: most runs have neither.
  private effects: RunEffects | undefined;
  /**
   * Timer firings and fetch answers waiting for the run's next call, one per timer or fetch: an
   * interval that fires again before its last firing was delivered fires once (as Node's own
   * intervals do on a busy loop), so what waits is bounded by the run's timers and fetches.
   */
  private readonly deliveries = new Map<string, Delivery>();
  /** A call to deliver them is queued (at most one: it takes whatever is waiting when its turn comes). */
  private deliveryCallQueued = false;
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
    this.deadline = this.startTime + request.timeoutMs;
    this.logs = new RunLogs(host.options.maxLogLines, host.options.maxLogLineBytes, request.onLog);
    this.token = host.nextToken();
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
    this.watchdog = setTimeout(() => this.onDeadline(), this.request.timeoutMs);
    // The result comes from the settlement or the watchdog, never from a call returning: a call
    // into an isolate that failed catastrophically never returns at all.
    this.hookContext = this.worker.checkout(this.request.cacheKey);
    void this.call(async () => {
      if (this.hookContext === undefined) await this.buildContext();
      if (this.hookContext !== undefined && !this.finished) await this.apply([Op.start, this.token, payload]);
    });
    return this.outcome;
  }

  /** A console line from the isolate for this run. */
  onHookLog(level: unknown, message: unknown): void {
    if (this.finished && !this.lingering) return;
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
    if (this.finished) return this.endLinger();
    this.settle(crashSettlement(name, message));
    this.finishNow();
  }

  catastrophe(message: string): void {
    this.contextBroken = true;
    if (this.finished) return this.endLinger();
    if (this.settlement === null) this.settle(catastropheSettlement(message, this.host.options.memoryLimitMb));
    else this.markIsolateLost();
    this.finishNow();
  }

  /** One turn in the isolate: waits for it and a CPU slot, skipped when the run ended meanwhile. */
  private async call(body: () => Promise<void>): Promise<void> {
    // Waiting for the isolate and a CPU slot is others' time, not the hook's: its clock stops.
    this.queuedSince ??= performance.now();
    try {
      await this.worker.exclusive(this, async () => {
        this.resumeClock();
        if (this.finished && !this.lingering) return;
        this.executing = true;
        const cpuBefore = this.worker.cpuTimeNs;
        try {
          await body();
        } finally {
          this.executing = false;
          this.lastCallEnded = performance.now();
          const cpuAfter = this.worker.cpuTimeNs;
          if (cpuAfter > cpuBefore) this.cpuNs += cpuAfter - cpuBefore;
        }
      });
    } catch (error) {
      if (!this.finished) this.onEntryError(error);
      else if (this.lingering) {
        // Effects after the answer failed the isolate (a timeout, say): no new run gets it.
        this.contextBroken = true;
        this.worker.retire();
        this.endLinger();
      }
    }
    this.checkDone();
    // Its call ended past the deadline (a flood of timers keeps one executing at any instant): the
    // run ends now, as one waiting for I/O would have, not at the watchdog's margin.
    if (!this.finished && !this.executing && performance.now() >= this.deadline) this.timeOut(false);
    if (this.lingering && (this.effects?.pendingFetches ?? 0) === 0 && this.deliveries.size === 0) this.endLinger();
    if (this.finished) this.release();
  }

  /**
   * The run's call got its slot: the time it waited behind other runs' calls is added to its
   * deadline, and the watchdog re-armed. Time spent behind its own call (queued while that one
   * executed) is the hook's: a run flooding itself with timers cannot push its deadline back.
   */
  private resumeClock(): void {
    if (this.queuedSince === null || this.finished) return;
    const waited = performance.now() - Math.max(this.queuedSince, this.lastCallEnded);
    this.queuedSince = null;
    if (waited < 1) return;
    this.deadline += waited;
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.onDeadline(), Math.max(0, this.deadline - performance.now()));
  }

  private async buildContext(): Promise<void> {
    try {
      this.hookContext = await this.worker.createContext(this.request.cacheKey, this.request.script, this.deadline - performance.now(), this.request.bundle);
    } catch (error) {
      const problem = parseCompileError(error);
      if (this.finished) return;
      if (problem !== null) {
        this.settle({ status: 'FAILED', error: problem });
        this.finishNow();
      } else {
        this.onEntryError(error);
      }
    }
  }

  /** A call into the isolate, then a poll for what its microtasks produced. */
  private async apply(args: (string | number)[]): Promise<void> {
    if (await this.applyOnly(args)) await this.poll();
  }

  /** A call into the isolate; false when nothing was called (out of time) or nothing more is wanted. */
  private async applyOnly(args: (string | number)[]): Promise<boolean> {
    const remaining = Math.ceil(this.deadline - performance.now());
    if (remaining <= 0) return false;
    const out = await this.hookContext!.entry.apply(undefined, args, { timeout: remaining });
    if (this.finished && !this.lingering) return false;
    this.absorb(out);
    return true;
  }

  /**
   * The poll is asynchronous too: microtasks left by the call (an async hook's next steps) run
   * during it, and they may compute or thrash a full heap for as long as the run's time allows.
   * After a success too when the hook has packages: their Node modules start requests from
   * microtasks (a stream's nextTick) that may run after the answer (lingering). Plain hooks skip
   * this poll, which costs a trivial run some 10%.
   */
  private async poll(): Promise<void> {
    const pollAfterAnswer = this.settlement?.status === 'SUCCEEDED' && this.request.bundle !== undefined;
    if ((this.settlement !== null && !pollAfterAnswer) || (this.finished && !this.lingering)) return;
    // Even at the deadline: an answer the last call's microtasks wrote is the run's answer.
    const polled = await this.hookContext!.entry.apply(undefined, [Op.poll], { timeout: Math.max(1, Math.ceil(this.deadline - performance.now())) });
    if (!this.finished || this.lingering) this.absorb(polled);
  }

  private absorb(out: unknown): void {
    const parsed = parseOutbox(out);
    if (parsed === null) return this.settle(sandboxFailure('The sandbox runtime answered with an unreadable message'));
    if (typeof parsed.logs === 'number' && parsed.logs > this.expectedLogs) this.expectedLogs = parsed.logs;
    if (typeof parsed.style === 'string') this.style = parsed.style;
    for (const message of parsed.msgs) {
      switch (message.t) {
        case Out.done:
          // The runtime already refuses deep responses; checked again here, whatever the isolate claims.
          if (exceedsDepth(message.r, this.host.options.maxResponseDepth)) {
            this.settle({ status: 'FAILED', error: { name: 'ResponseTooDeep', message: `The response nests objects and arrays more than ${this.host.options.maxResponseDepth} levels deep` } });
          } else {
            this.settle({ status: 'SUCCEEDED', response: message.r === undefined ? null : message.r });
          }
          break;
        case Out.fail:
          this.settle({ status: 'FAILED', error: normalizeError(message.error) });
          if (message.unload) this.contextBroken = true;
          break;
        case Out.timer:
          if (this.settlement === null) this.runEffects().setTimer(Number(message.id), Number(message.ms), message.repeat === true);
          break;
        case Out.clear:
          this.effects?.clearTimer(Number(message.id));
          break;
        case Out.fetch:
          // A successful run's requests may outlive its answer (lingering).
          if (this.mayDeliver() && message.req) this.runEffects().fetch(Number(message.id), message.req);
          break;
      }
    }
  }

  private runEffects(): RunEffects {
    this.effects ??= new RunEffects(this.host.options, () => this.host.fetcher(), (delivery) => this.deliver(delivery));
    return this.effects;
  }

  /**
   * Deliveries that come while the run's call waits for its turn go in that same call: a flood of
   * timers takes one turn, not one per firing. Those that come while it executes wait for the
   * next turn, queued behind other runs' calls, so a flood never holds its isolate or a slot.
   */
  private deliver(delivery: Delivery): void {
    if (this.finished && !this.lingering) return;
    // The runtime ignores a settled run's timers: none is delivered, nor armed again.
    if (delivery[0] === Op.timer && this.settlement !== null) return;
    const key = `${delivery[0]}:${delivery[1]}`;
    if (!this.deliveries.has(key)) this.deliveries.set(key, delivery);
    if (this.deliveryCallQueued) return;
    this.deliveryCallQueued = true;
    void this.call(async () => {
      this.deliveryCallQueued = false;
      const turn = [...this.deliveries.values()];
      this.deliveries.clear();
      // One poll after the last: each call's outbox carries what the previous call's microtasks wrote.
      let called = false;
      for (const [op, id, outcome] of turn) {
        if (!this.mayDeliver()) break;
        const args = outcome === undefined ? [op, this.token, id] : [op, this.token, id, outcome];
        if (!(await this.applyOnly(args))) break;
        called = true;
        if (op === Op.timer) this.effects?.timerDelivered(id);
      }
      if (called) await this.poll();
    });
  }

  /** Still taking fetches and deliveries: running, answered successfully, or lingering. */
  private mayDeliver(): boolean {
    if (this.finished) return this.lingering;
    return this.settlement === null || this.settlement.status === 'SUCCEEDED';
  }

  private settle(settlement: Settlement): void {
    if (this.settlement === null) this.settlement = settlement;
  }

  private onEntryError(error: unknown): void {
    // A terminated script can leave microtasks behind: no new run gets this isolate.
    this.contextBroken = true;
    this.worker.retire();
    this.settle(entryFailure(error, this.worker.isDisposed, this.host.options.memoryLimitMb, this.timeoutContext(true)));
    this.finishNow();
  }

  private timeoutContext(busy: boolean) {
    return { timeoutMs: this.request.timeoutMs, busy, style: this.style, pendingFetches: this.effects?.pendingFetches ?? 0 };
  }

  private onDeadline(): void {
    if (this.finished) return;
    if (this.executing) {
      // Busy: isolated-vm's own timeout should stop it now, or the call ends (see `call`); past
      // the margin, the watchdog does.
      this.watchdog = setTimeout(() => this.stopBusyCall(), this.host.options.watchdogMarginMs);
      return;
    }
    // Waiting for its isolate and a CPU slot does not count against the run (every call ahead is
    // bounded by its own run's deadline): the watchdog is armed again when the call gets its turn.
    if (this.queuedSince !== null) return;
    // Waiting for I/O (or log lines still on their way): it ends alone.
    this.timeOut(false);
  }

  private timeOut(busy: boolean): void {
    this.settle(timeoutSettlement(this.timeoutContext(busy)));
    this.contextBroken = true;
    this.finishNow();
  }

  /**
   * A call that isolated-vm's timeout did not stop (a heap thrashing at its limit, a long native
   * call such as normalize() of megabytes): its thread may run on and keep its memory, so it counts
   * as a wedge. The run ends, the other runs in its isolate end (they would wait behind it), and
   * the process is retired (README.md). Unlike a catastrophic error (`isolateLost`, which the
   * service quarantines), a timeout is no abuse by itself.
   */
  private stopBusyCall(): void {
    if (this.finished && (!this.executing || this.killed)) return;
    // The call ended within the margin, out of time and without a result.
    if (!this.executing) return this.timeOut(true);
    if (this.killed) return;
    this.killed = true;
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
    if (!this.finished && this.settlement !== null && this.logs.received >= this.expectedLogs) this.finishNow();
  }

  private finishNow(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.watchdog);
    const settlement = this.settlement ?? sandboxFailure('The run ended without a result');
    const outcome: RunResult = {
      status: settlement.status,
      response: settlement.response,
      error: settlement.error ?? null,
      logs: this.logs.lines,
      logsTruncated: this.logs.truncated,
      durationMs: performance.now() - this.startTime,
      cpuTimeMs: Number(this.cpuNs) / 1e6,
      ended: settlement.crashed ? 'CRASHED' : 'RAN',
    };
    if (settlement.status !== 'SUCCEEDED') delete outcome.response;
    if (settlement.isolateLost) outcome.isolateLost = true;
    if (settlement.status === 'SUCCEEDED' && !this.executing && (this.effects?.pendingFetches ?? 0) > 0 && !this.worker.isDisposed && !this.contextBroken) {
      // As on webtask: the answer goes back now, while requests the hook started may finish within
      // its timeout; their console lines still reach onLog. The context stays this run's meanwhile.
      this.lingering = true;
      this.linger?.started();
      this.resolveOutcome(outcome);
      this.watchdog = setTimeout(() => {
        // Cut at the deadline: the context may hold callbacks of requests that never ended.
        this.contextBroken = true;
        this.endLinger();
      }, Math.max(0, this.deadline - performance.now()));
      return;
    }
    this.effects?.stop();
    this.host.unregister(this.token);
    this.resolveOutcome(outcome);
    if (this.executing && !this.killed) {
      // Its call still executes (the run settled from a log count, or was cut off): it stops at
      // the deadline, or the watchdog disposes the isolate past the margin.
      const killAfter = Math.max(0, this.deadline - performance.now()) + this.host.options.watchdogMarginMs;
      this.watchdog = setTimeout(() => this.stopBusyCall(), killAfter);
    } else if (!this.executing) {
      this.release();
    }
  }

  /** The lingering fetches are done, or out of time: stop them and give the context back. */
  private endLinger(): void {
    if (!this.lingering) return;
    this.lingering = false;
    clearTimeout(this.watchdog);
    this.effects?.stop();
    this.host.unregister(this.token);
    this.linger?.ended();
    if (this.executing && !this.killed) {
      // Its call stops at the deadline (isolated-vm's timeout); past the margin it counts as a wedge.
      const killAfter = Math.max(0, this.deadline - performance.now()) + this.host.options.watchdogMarginMs;
      this.watchdog = setTimeout(() => this.stopBusyCall(), killAfter);
    } else {
      this.release();
    }
  }

  private release(): void {
    if (this.released || this.executing || this.lingering) return;
    this.released = true;
    clearTimeout(this.watchdog);
    if (this.hookContext !== undefined) {
      if (this.contextBroken || this.worker.isDisposed) this.worker.discard(this.hookContext);
      else this.worker.checkin(this.hookContext);
    }
    this.worker.runEnded(this);
  }
}
