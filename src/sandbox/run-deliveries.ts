/**
 * What waits for a run's next call into its isolate: timer firings and fetch answers, at most one
 * per timer or fetch. An interval that fires again before its last firing was delivered fires once
 * (as Node's own intervals do on a busy loop), so what waits is bounded by the run's timers and
 * fetches. One call at most is queued for them: it takes whatever waits when its turn comes, and
 * what arrives while it executes waits for the next turn, queued behind other runs' calls.
 */
import type { Delivery } from './run-effects.ts';

export class PendingDeliveries {
  private readonly waiting = new Map<string, Delivery>();
  private callQueued = false;

  /** Keeps `delivery` for the next turn; true when the caller must queue a call for it (none is). */
  add(delivery: Delivery): boolean {
    const key = `${delivery[0]}:${delivery[1]}`;
    if (!this.waiting.has(key)) this.waiting.set(key, delivery);
    if (this.callQueued) return false;
    this.callQueued = true;
    return true;
  }

  /** The queued call got its turn: what waits goes in it; what arrives from now on queues the next call. */
  take(): Delivery[] {
    this.callQueued = false;
    const turn = [...this.waiting.values()];
    this.waiting.clear();
    return turn;
  }

  get size(): number {
    return this.waiting.size;
  }
}
