/**
 * The in-process queue of async runs: at most `concurrency` at once, in arrival order. The
 * queue itself lives in the database (executions QUEUED), so a restart loses nothing.
 */
export function createRunQueue(options: { concurrency: number; run: (id: string) => Promise<void>; onError: (id: string, error: unknown) => void }) {
  const waiting: string[] = [];
  const known = new Set<string>();
  let active = 0;
  let paused = false;
  let idleWaiters: (() => void)[] = [];

  function pump() {
    while (!paused && active < options.concurrency && waiting.length > 0) {
      const id = waiting.shift()!;
      active++;
      options
        .run(id)
        .catch((error: unknown) => options.onError(id, error))
        .finally(() => {
          active--;
          known.delete(id);
          pump();
        });
    }
    if (active === 0 && (paused || waiting.length === 0)) {
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    }
  }

  return {
    push(id: string) {
      if (known.has(id)) return;
      known.add(id);
      waiting.push(id);
      queueMicrotask(pump);
    },
    /** Starts no more runs (a stop): the waiting ones stay QUEUED in the database for the next start. */
    pause() {
      paused = true;
      queueMicrotask(pump);
    },
    /** Resolves when no run is running, and none is waiting unless the queue is paused. */
    idle(): Promise<void> {
      if (active === 0 && (paused || waiting.length === 0)) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
