/**
 * CPU slots of one sandbox process: a call into an isolate executes only while it holds one. At
 * most `total` calls execute at once, at most `perTenant` of one tenant; tenants waiting for a slot
 * are served in turn (round robin), each tenant's waiters in arrival order. A run awaiting I/O
 * holds no slot, so one tenant's slow webhooks or busy loops never hold another tenant's runs back.
 */
export type ReleaseSlot = () => void;

interface TenantQueue {
  running: number;
  waiting: (() => void)[];
}

export class CpuSlots {
  private running = 0;
  private readonly tenants = new Map<string, TenantQueue>();
  /** Tenants with waiters, in the order they are served next. */
  private readonly turn: string[] = [];

  private readonly total: number;
  private readonly perTenant: number;

  constructor(total: number, perTenant: number) {
    this.total = total;
    this.perTenant = perTenant;
  }

  acquire(tenant: string): Promise<ReleaseSlot> {
    const queue = this.queueOf(tenant);
    return new Promise((resolve) => {
      queue.waiting.push(() => resolve(this.releaser(tenant, queue)));
      if (queue.waiting.length === 1) this.turn.push(tenant);
      this.grant();
    });
  }

  /** Calls executing now (for tests and metrics). */
  get busy(): number {
    return this.running;
  }

  private releaser(tenant: string, queue: TenantQueue): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      queue.running--;
      if (queue.running === 0 && queue.waiting.length === 0) this.tenants.delete(tenant);
      this.grant();
    };
  }

  private grant(): void {
    let skipped = 0;
    while (this.running < this.total && this.turn.length > skipped) {
      const tenant = this.turn.shift()!;
      const queue = this.tenants.get(tenant)!;
      if (queue.running >= this.perTenant) {
        // At its cap: it keeps its place in the turn, after the others.
        this.turn.push(tenant);
        skipped++;
        continue;
      }
      skipped = 0;
      const next = queue.waiting.shift()!;
      this.running++;
      queue.running++;
      if (queue.waiting.length > 0) this.turn.push(tenant);
      next();
    }
  }

  private queueOf(tenant: string): TenantQueue {
    let queue = this.tenants.get(tenant);
    if (queue === undefined) {
      queue = { running: 0, waiting: [] };
      this.tenants.set(tenant, queue);
    }
    return queue;
  }
}
