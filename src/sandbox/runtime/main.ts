/**
 * The runtime's entry point, and the whole of what the host sees of it. A fresh context evaluates
 * the bundle (../runtime-source.ts) and calls `install(postLog, limitsJson)` once; it returns
 * `entry`, the one function the host calls afterwards. The bridges live in the bundle's closure:
 * nothing of the host is left on the global object, nothing of the runtime's state is reachable
 * from hook code.
 */
import { Op, type PostLog } from '../runtime-protocol.ts';
import { deliverFetch } from './fetch-api.ts';
import { installGlobals } from './globals.ts';
import { setHook, type BundleModules, type HookFactory } from './hook-module.ts';
import { bindHost } from './host-bindings.ts';
import { seedRandom } from './random.ts';
import { currentRun, takeOutbox } from './run-state.ts';
import { startRun } from './run.ts';
import { fireTimer } from './timers.ts';

/** `entry(op, token, a, b)`: the protocol's calls (`Op`); answers the run's outbox as JSON. */
function entry(op: string, token: unknown, a: unknown, b: unknown): string {
  if (op === Op.start) {
    startRun(token as number, a as string);
  } else if (op === Op.poll) {
    // Nothing to do: the microtasks that ran after the previous call filled the outbox.
  } else if (op === Op.init) {
    setHook(token as HookFactory, b as BundleModules | undefined);
    seedRandom(a as string);
    return '';
  } else {
    const run = currentRun;
    // Fetch answers still reach a settled run: requests it started outlive its answer.
    if (run === null || run.token !== token || (run.settled && op !== Op.fetch)) return takeOutbox();
    if (op === Op.timer) fireTimer(run, a as number);
    else if (op === Op.fetch) deliverFetch(run, a as number, b as string);
  }
  return takeOutbox();
}

export function install(postLog: PostLog, limitsJson: string): typeof entry {
  bindHost(postLog, limitsJson);
  installGlobals();
  return entry;
}
