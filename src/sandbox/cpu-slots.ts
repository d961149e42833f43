/**
 * CPU slots of one sandbox process: a call into an isolate executes only while it holds one. At
 * most `total` calls execute at once, at most `perTenant` of one tenant. Callers wait in queues
 * (one per isolate: a tenant's script) served in turn, round robin, each in arrival order; a queue
 * whose tenant is at its cap keeps its place. A run awaiting I/O holds no slot, so one tenant's
 * slow webhooks or busy loops never hold another tenant's runs back, and one hook flooding its
 * own isolate with timer calls never holds back another hook.
 */
export type ReleaseSlot = () => void;

interface Queue {
  tenant: string;
  waiting: (() => void)[];
}

export class CpuSlots {
  private running = 0;
  private readonly total: number;
  private readonly perTenant: number;
  private readonly queues = new Map<string, Queue>();
  private readonly tenantRunning = new Map<string, number>();
  /** Queues with waiters, in the order they are served next. */
  private readonly turn: string[] = [];

  constructor(total: number, perTenant: number) {
    this.total = total;
    this.perTenant = perTenant;
  }

  /** A slot for a call of `tenant`, queued under `queueKey` (its isolate; the tenant by default). */
  acquire(tenant: string, queueKey = tenant): Promise<ReleaseSlot> {
    let queue = this.queues.get(queueKey);
    if (queue === undefined) {
      queue = { tenant, waiting: [] };
      this.queues.set(queueKey, queue);
    }
    const joined = queue;
    return new Promise((resolve) => {
      joined.waiting.push(() => resolve(this.releaser(tenant)));
      if (joined.waiting.length === 1) this.turn.push(queueKey);
      this.grant();
    });
  }

  /** Calls executing now (for tests and metrics). */
  get busy(): number {
    return this.running;
  }

  private releaser(tenant: string): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = this.tenantRunning.get(tenant)! - 1;
      if (left === 0) this.tenantRunning.delete(tenant);
      else this.tenantRunning.set(tenant, left);
      this.grant();
    };
  }

  private grant(): void {
    let skipped = 0;
    while (this.running < this.total && this.turn.length > skipped) {
      const key = this.turn.shift()!;
      const queue = this.queues.get(key)!;
      if ((this.tenantRunning.get(queue.tenant) ?? 0) >= this.perTenant) {
        // Its tenant is at its cap: it keeps its place in the turn, after the others.
        this.turn.push(key);
        skipped++;
        continue;
      }
      skipped = 0;
      const next = queue.waiting.shift()!;
      this.running++;
      this.tenantRunning.set(queue.tenant, (this.tenantRunning.get(queue.tenant) ?? 0) + 1);
      if (queue.waiting.length > 0) this.turn.push(key);
      else this.queues.delete(key);
      next();
    }
  }
}
