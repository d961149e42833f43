import type { DrainState } from '../plugins/use-draining.ts';

/** Whether the service is stopping, and the GraphQL operations still being answered. */
export function createDrainState() {
  let draining = false;
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const state: DrainState & { begin(): void; operationsDone(): Promise<void> } = {
    get draining() {
      return draining;
    },
    begin() {
      draining = true;
    },
    operationStarted() {
      inFlight++;
    },
    operationDone() {
      if (--inFlight > 0) return;
      for (const resolve of waiters) resolve();
      waiters = [];
    },
    /** Resolves once every operation under way is answered. */
    operationsDone(): Promise<void> {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
  return state;
}
