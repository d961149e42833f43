/**
 * The in-process queue of async runs, fair across tenants: at most `concurrency` runs at once, at
 * most `perTenant` of one tenant, tenants served in turn and each tenant's runs in arrival order.
 * One tenant's flood of slow hooks never holds another tenant's runs back. The queue itself lives
 * in the database (executions QUEUED), so a restart loses nothing.
 */
export function createRunQueue(options: { concurrency: number; perTenant: number; run: (id: string) => Promise<void>; onError: (id: string, error: unknown) => void }) {
  const waiting = new Map<string, string[]>();
  const activeOf = new Map<string, number>();
  /** Tenants with waiting runs, in the order they are served next. */
  const turn: string[] = [];
  const known = new Set<string>();
  let active = 0;
  let paused = false;
  let idleWaiters: (() => void)[] = [];

  function start(tenantId: string, id: string) {
    active++;
    activeOf.set(tenantId, (activeOf.get(tenantId) ?? 0) + 1);
    options
      .run(id)
      .catch((error: unknown) => options.onError(id, error))
      .finally(() => {
        active--;
        const left = activeOf.get(tenantId)! - 1;
        if (left === 0) activeOf.delete(tenantId);
        else activeOf.set(tenantId, left);
        known.delete(id);
        pump();
      });
  }

  function pump() {
    let skipped = 0;
    while (!paused && active < options.concurrency && turn.length > skipped) {
      const tenantId = turn.shift()!;
      if ((activeOf.get(tenantId) ?? 0) >= options.perTenant) {
        turn.push(tenantId);
        skipped++;
        continue;
      }
      skipped = 0;
      const ids = waiting.get(tenantId)!;
      start(tenantId, ids.shift()!);
      if (ids.length > 0) turn.push(tenantId);
      else waiting.delete(tenantId);
    }
    if (active === 0 && (paused || turn.length === 0)) {
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    }
  }

  return {
    push(id: string, tenantId: string) {
      if (known.has(id)) return;
      known.add(id);
      const ids = waiting.get(tenantId);
      if (ids === undefined) {
        waiting.set(tenantId, [id]);
        turn.push(tenantId);
      } else {
        ids.push(id);
      }
      queueMicrotask(pump);
    },
    /** Starts no more runs (a stop): the waiting ones stay QUEUED in the database for the next start. */
    pause() {
      paused = true;
      queueMicrotask(pump);
    },
    /** Resolves when no run is running, and none is waiting unless the queue is paused. */
    idle(): Promise<void> {
      if (active === 0 && (paused || turn.length === 0)) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
