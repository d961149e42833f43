/**
 * A run's wall clock (README.md, "Deadlines"): its deadline counts from its start, moved back by
 * the time its calls wait for their isolate and a CPU slot behind other runs' calls (others' time,
 * each bounded by its own run's deadline), never by a wait behind the run's own call, so a run that
 * floods itself with timers cannot push its deadline back. It also holds the run's one timer.
 */
export class RunClock {
  readonly startTime = performance.now();
  private deadline: number;
  /** Since when the run's next call waits for its isolate and a CPU slot; null when none waits. */
  private queuedSince: number | null = null;
  /** When the run's last call ended: until then, a call queued behind it waits on the hook's time. */
  private lastCallEnded = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.deadline = this.startTime + timeoutMs;
  }

  /** Whole milliseconds left (isolated-vm's timeouts), rounded up; 0 or less past the deadline. */
  remainingMs(): number {
    return Math.ceil(this.deadline - performance.now());
  }

  get passed(): boolean {
    return performance.now() >= this.deadline;
  }

  get elapsedMs(): number {
    return performance.now() - this.startTime;
  }

  /** A call of the run waits for its turn. */
  get waiting(): boolean {
    return this.queuedSince !== null;
  }

  callQueued(): void {
    this.queuedSince ??= performance.now();
  }

  /** The run's call got its turn: true when its wait behind other runs' calls moved the deadline back. */
  callStarted(): boolean {
    if (this.queuedSince === null) return false;
    const waited = performance.now() - Math.max(this.queuedSince, this.lastCallEnded);
    this.queuedSince = null;
    if (waited < 1) return false;
    this.deadline += waited;
    return true;
  }

  callEnded(): void {
    this.lastCallEnded = performance.now();
  }

  /** Arms the run's timer at the deadline, `extraMs` later, in place of what was armed. */
  atDeadline(fire: () => void, extraMs = 0): void {
    this.after(Math.max(0, this.deadline - performance.now()) + extraMs, fire);
  }

  /** Arms the run's timer `ms` from now, in place of what was armed. */
  after(ms: number, fire: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(fire, ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
