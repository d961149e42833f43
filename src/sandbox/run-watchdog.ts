/**
 * A run's watchdog: isolated-vm's own `timeout` only covers a call, not a hook awaiting a promise,
 * so the run's deadline is watched here. At the deadline a run waiting for I/O ends alone; a call
 * executing is stopped by isolated-vm's timeout, or ends; one still busy `watchdogMarginMs` later
 * counts as a wedge (README.md, "Deadlines"). A run whose call waits for its turn behind other
 * runs' calls is not out of time: the watchdog is armed again when the call gets its turn.
 */
import type { RunClock } from './run-clock.ts';

/** What the watchdog needs of its run. */
export interface WatchedRun {
  /** A call of the run executes in its isolate now. */
  readonly executing: boolean;
  readonly finished: boolean;
  /** Ends the run TIMED_OUT; `busy` when its call was executing at the deadline. */
  timeOut(busy: boolean): void;
  /** Its call would not stop: the run ends TIMED_OUT and its isolate's thread is given up. */
  wedge(): void;
}

export class RunWatchdog {
  private callWedged = false;
  private readonly run: WatchedRun;
  private readonly clock: RunClock;
  private readonly marginMs: number;

  constructor(run: WatchedRun, clock: RunClock, marginMs: number) {
    this.run = run;
    this.clock = clock;
    this.marginMs = marginMs;
  }

  /** Armed at the deadline; again whenever the deadline moves back. */
  arm(): void {
    this.clock.atDeadline(() => this.onDeadline());
  }

  /** The run's call would not stop and was given up: nothing of the run is watched any more. */
  get gaveUp(): boolean {
    return this.callWedged;
  }

  /**
   * The run ended while its call still executes (it settled from a log count, was cut off, or its
   * lingering ended): the call stops at the deadline, or counts as a wedge past the margin.
   */
  watchLeftoverCall(): void {
    this.clock.atDeadline(() => this.stopBusyCall(), this.marginMs);
  }

  private onDeadline(): void {
    if (this.run.finished) return;
    if (this.run.executing) {
      // Busy: isolated-vm's own timeout should stop it now, or the call ends (the run then ends
      // with it); past the margin, the watchdog does.
      this.clock.after(this.marginMs, () => this.stopBusyCall());
      return;
    }
    // Waiting for its isolate and a CPU slot does not count against the run (every call ahead is
    // bounded by its own run's deadline): the watchdog is armed again when the call gets its turn.
    if (this.clock.waiting) return;
    // Waiting for I/O (or log lines still on their way): it ends alone.
    this.run.timeOut(false);
  }

  /**
   * A call that isolated-vm's timeout did not stop (a heap thrashing at its limit, a long native
   * call such as normalize() of megabytes): its thread may run on and keep its memory, so it counts
   * as a wedge. The run ends, the other runs in its isolate end (they would wait behind it), and
   * the process is retired (README.md). Unlike a catastrophic error (`isolateLost`, which the
   * service quarantines), a timeout is no abuse by itself.
   */
  private stopBusyCall(): void {
    if (this.run.finished && (!this.run.executing || this.callWedged)) return;
    // The call ended within the margin, out of time and without a result.
    if (!this.run.executing) return this.run.timeOut(true);
    if (this.callWedged) return;
    this.callWedged = true;
    this.run.wedge();
  }
}
