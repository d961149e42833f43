/**
 * The calls of one run into its context: each waits its turn for the isolate and a CPU slot (the
 * run's clock stopped meanwhile, `run-clock.ts`), executes holding the slot, and adds the
 * isolate's CPU time to the run's. Every call is bounded by what is left of the run's time. The
 * run's first turn takes a context (a warm one, or one built) and starts the hook; later turns
 * deliver its timer firings and fetch answers, whatever waits when the turn comes
 * (`run-deliveries.ts`). Each call answers with the runtime's outbox: the timers and fetches it
 * asks for are kept here (`run-effects.ts`); its answer, failure and console-line count go to the run.
 */
import type { HostFetcher } from './host-fetch.ts';
import type { HookContext, IsolateWorker, WorkerRun } from './isolate-worker.ts';
import type { SandboxOptions } from './options.ts';
import type { RunClock } from './run-clock.ts';
import { PendingDeliveries } from './run-deliveries.ts';
import { RunEffects, type Delivery } from './run-effects.ts';
import { answerSettlement, normalizeError, parseOutbox, sandboxFailure, type Settlement } from './run-outcome.ts';
import type { RunWatchdog } from './run-watchdog.ts';
import { Op, Out } from './runtime-protocol.ts';
import { parseCompileError } from './syntax-check.ts';
import type { RunError, RunRequest } from './types.ts';

/** What the calls need of their run. */
export interface CallingRun extends WorkerRun {
  /** The run has its result (it may still linger). */
  readonly finished: boolean;
  /** Answered, with fetches going on: their answers still go in. */
  readonly lingering: boolean;
  /** The run has its answer or failure (it may still be waiting for its console lines). */
  readonly settled: boolean;
  /** A poll follows a call: no answer yet, or a success whose packages may start requests after it. */
  readonly pollWanted: boolean;
  /** Still taking timer firings and fetch answers. */
  mayDeliver(): boolean;
  /** The run's answer or failure; the first one counts. */
  settle(settlement: Settlement): void;
  /** The runtime has posted `logs` console lines of the run so far; `style`: its handler's, once known. */
  progressed(logs: number | undefined, style: string | undefined): void;
  /** The hook's module did not load: its context serves no other run. */
  breakContext(): void;
  /** The hook's module did not compile. */
  loadFailed(problem: RunError): void;
  /** A call into the isolate threw (its timeout, the memory limit, the isolate disposed). */
  callFailed(error: unknown): void;
  /** A turn is over, whether or not its body ran. */
  turnEnded(): void;
}

/** What the calls need of the engine. */
export interface CallsHost {
  readonly options: SandboxOptions;
  fetcher(): HostFetcher;
}

export class RunCalls {
  private context: HookContext | undefined;
  private running = false;
  private cpuNs = 0n;
  private readonly deliveries = new PendingDeliveries();
  // Made on the first timer or fetch: most runs have neither.
  private effects: RunEffects | undefined;

  private readonly run: CallingRun;
  private readonly host: CallsHost;
  private readonly worker: IsolateWorker;
  private readonly request: RunRequest;
  private readonly token: number;
  private readonly clock: RunClock;
  private readonly watchdog: RunWatchdog;

  constructor(run: CallingRun, host: CallsHost, worker: IsolateWorker, request: RunRequest, token: number, clock: RunClock, watchdog: RunWatchdog) {
    this.run = run;
    this.host = host;
    this.worker = worker;
    this.request = request;
    this.token = token;
    this.clock = clock;
    this.watchdog = watchdog;
  }

  /** A call of the run executes in the isolate now. */
  get executing(): boolean {
    return this.running;
  }

  get cpuTimeMs(): number {
    return Number(this.cpuNs) / 1e6;
  }

  /** The run's context, once it has one. */
  get hookContext(): HookContext | undefined {
    return this.context;
  }

  /** Fetches started and not yet answered. */
  get pendingFetches(): number {
    return this.effects?.pendingFetches ?? 0;
  }

  /** No fetch pending, nothing waiting to be delivered: a lingering run is over. */
  get idle(): boolean {
    return this.pendingFetches === 0 && this.deliveries.size === 0;
  }

  /** The run is over: no timer fires and no fetch answer is delivered any more. */
  stopEffects(): void {
    this.effects?.stop();
  }

  /** The first turn: a warm context or a new one, then the hook's start. */
  start(payload: string): void {
    this.context = this.worker.checkout(this.request.cacheKey);
    void this.turn(async () => {
      if (this.context === undefined) await this.buildContext();
      if (this.context !== undefined && !this.run.finished) await this.apply([Op.start, this.token, payload]);
    });
  }

  /** A flood of timers takes one turn at a time, never a turn per firing (`run-deliveries.ts`). */
  private deliver(delivery: Delivery): void {
    if (this.run.finished && !this.run.lingering) return;
    // The runtime ignores a settled run's timers: none is delivered, nor armed again.
    if (delivery[0] === Op.timer && this.run.settled) return;
    if (!this.deliveries.add(delivery)) return;
    void this.turn(async () => {
      // One poll after the last: each call's outbox carries what the previous call's microtasks wrote.
      let called = false;
      for (const [op, id, outcome] of this.deliveries.take()) {
        if (!this.run.mayDeliver()) break;
        const args = outcome === undefined ? [op, this.token, id] : [op, this.token, id, outcome];
        if (!(await this.applyOnly(args))) break;
        called = true;
        if (op === Op.timer) this.effects?.timerDelivered(id);
      }
      if (called) await this.poll();
    });
  }

  /** One turn in the isolate: waits for it and a CPU slot, skipped when the run ended meanwhile. */
  private async turn(body: () => Promise<void>): Promise<void> {
    // Waiting for the isolate and a CPU slot behind other runs' calls is others' time, not the hook's.
    this.clock.callQueued();
    try {
      await this.worker.exclusive(this.run, async () => {
        if (!this.run.finished && this.clock.callStarted()) this.watchdog.arm();
        if (this.run.finished && !this.run.lingering) return;
        this.running = true;
        const cpuBefore = this.worker.cpuTimeNs;
        try {
          await body();
        } finally {
          this.running = false;
          this.clock.callEnded();
          const cpuAfter = this.worker.cpuTimeNs;
          if (cpuAfter > cpuBefore) this.cpuNs += cpuAfter - cpuBefore;
        }
      });
    } catch (error) {
      this.run.callFailed(error);
    }
    this.run.turnEnded();
  }

  private async buildContext(): Promise<void> {
    try {
      this.context = await this.worker.createContext(this.request.cacheKey, this.request.script, this.clock.remainingMs(), this.request.bundle);
    } catch (error) {
      const problem = parseCompileError(error);
      if (this.run.finished) return;
      if (problem !== null) this.run.loadFailed(problem);
      else this.run.callFailed(error);
    }
  }

  /** A call into the isolate, then a poll for what its microtasks produced. */
  private async apply(args: (string | number)[]): Promise<void> {
    if (await this.applyOnly(args)) await this.poll();
  }

  /** A call into the isolate; false when nothing was called (out of time) or its answer is no longer wanted. */
  private async applyOnly(args: (string | number)[]): Promise<boolean> {
    const remaining = this.clock.remainingMs();
    if (remaining <= 0) return false;
    const out = await this.context!.entry.apply(undefined, args, { timeout: remaining });
    if (this.run.finished && !this.run.lingering) return false;
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
    if (!this.run.pollWanted || (this.run.finished && !this.run.lingering)) return;
    // Even at the deadline: an answer the last call's microtasks wrote is the run's answer.
    const polled = await this.context!.entry.apply(undefined, [Op.poll], { timeout: Math.max(1, this.clock.remainingMs()) });
    if (!this.run.finished || this.run.lingering) this.absorb(polled);
  }

  private absorb(out: unknown): void {
    const parsed = parseOutbox(out);
    if (parsed === null) return this.run.settle(sandboxFailure('The sandbox runtime answered with an unreadable message'));
    this.run.progressed(typeof parsed.logs === 'number' ? parsed.logs : undefined, typeof parsed.style === 'string' ? parsed.style : undefined);
    for (const message of parsed.msgs) {
      switch (message.t) {
        case Out.done:
          this.run.settle(answerSettlement(message.r, this.host.options.maxResponseDepth));
          break;
        case Out.fail:
          this.run.settle({ status: 'FAILED', error: normalizeError(message.error) });
          if (message.unload) this.run.breakContext();
          break;
        case Out.timer:
          if (!this.run.settled) this.hostEffects().setTimer(Number(message.id), Number(message.ms), message.repeat === true);
          break;
        case Out.clear:
          this.effects?.clearTimer(Number(message.id));
          break;
        case Out.fetch:
          // A successful run's requests may outlive its answer (lingering).
          if (this.run.mayDeliver() && message.req) this.hostEffects().fetch(Number(message.id), message.req);
          break;
      }
    }
  }

  private hostEffects(): RunEffects {
    this.effects ??= new RunEffects(this.host.options, () => this.host.fetcher(), (delivery) => this.deliver(delivery));
    return this.effects;
  }
}
