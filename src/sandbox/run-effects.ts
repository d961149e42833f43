/**
 * The host side of what a run asked for through its outbox: real timers and real fetches, counted
 * against the run's caps here whatever the isolate claims, and all stopped when the run ends. Their
 * outcomes go back into the isolate through `deliver` (a timer firing, a fetch answered).
 */
import type { FetchRequest, HostFetcher } from './host-fetch.ts';
import type { SandboxOptions } from './options.ts';
import { Op } from './runtime-protocol.ts';

export type Delivery = [typeof Op.timer, number] | [typeof Op.fetch, number, string];

interface HostTimer {
  readonly ms: number;
  readonly repeat: boolean;
  /** Armed; undefined while a repeating timer's firing waits to be delivered. */
  handle: NodeJS.Timeout | undefined;
}

export class RunEffects {
  private readonly timers = new Map<number, HostTimer>();
  private timerCount = 0;
  private fetchCount = 0;
  private abortController: AbortController | undefined;
  private stopped = false;
  /** Fetches started and not yet answered: a run that times out says so. */
  pendingFetches = 0;

  private readonly options: SandboxOptions;
  private readonly fetcher: () => HostFetcher;
  private readonly deliver: (delivery: Delivery) => void;

  constructor(options: SandboxOptions, fetcher: () => HostFetcher, deliver: (delivery: Delivery) => void) {
    this.options = options;
    this.fetcher = fetcher;
    this.deliver = deliver;
  }

  setTimer(id: number, ms: number, repeat: boolean): void {
    if (this.stopped || this.timerCount >= this.options.maxTimersPerRun || !Number.isFinite(ms)) return;
    this.timerCount++;
    const timer: HostTimer = { ms, repeat, handle: undefined };
    this.timers.set(id, timer);
    this.arm(id, timer);
  }

  /**
   * A repeating timer's firing reached the isolate: it is armed again from now, as Node arms an
   * interval again after its callback. So an interval fires once per delivery however busy the
   * run is: a hundred 1 ms intervals cost a hundred host timers per turn, not a hundred per ms.
   */
  timerDelivered(id: number): void {
    const timer = this.timers.get(id);
    if (timer !== undefined && timer.repeat && timer.handle === undefined) this.arm(id, timer);
  }

  clearTimer(id: number): void {
    clearTimeout(this.timers.get(id)?.handle);
    this.timers.delete(id);
  }

  private arm(id: number, timer: HostTimer): void {
    if (this.stopped) return;
    timer.handle = setTimeout(() => {
      timer.handle = undefined;
      if (!timer.repeat) this.timers.delete(id);
      this.deliver([Op.timer, id]);
    }, timer.ms);
  }

  fetch(id: number, request: FetchRequest): void {
    if (this.stopped || this.fetchCount >= this.options.fetch.maxRequestsPerRun) return;
    this.fetchCount++;
    this.pendingFetches++;
    this.abortController ??= new AbortController();
    void this.fetcher()
      .fetch(request, this.abortController.signal)
      .then((outcome) => {
        this.pendingFetches--;
        if (!this.stopped) this.deliver([Op.fetch, id, JSON.stringify(outcome)]);
      });
  }

  /** The run is over: no timer fires and no fetch answer is delivered any more. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer.handle);
    this.timers.clear();
    this.abortController?.abort();
  }
}
