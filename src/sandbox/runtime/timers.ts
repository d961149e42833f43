/**
 * setTimeout and friends: each timer is a message to the host, which fires it back as
 * `Op.timer`. A run's timers die with its settling.
 */
import { Out } from '../runtime-protocol.ts';
import { limits } from './host-bindings.ts';
import { inspect } from './inspect.ts';
import { MathFloor, NumberCtor, ObjectCreate, RangeErrorCtor, ReflectApply, TypeErrorCtor } from './intrinsics.ts';
import { currentRun, nextId, send, type HookFunction, type PendingTimer, type RunState } from './run-state.ts';
import { settle } from './settle.ts';

export function fireTimer(run: RunState, id: number): void {
  const timers = run.timers;
  const timer = timers === null ? undefined : timers[id];
  if (timer === undefined || run.settled) return;
  if (!timer.repeat) delete timers![id];
  try {
    ReflectApply(timer.fn, undefined, timer.args);
  } catch (error) {
    // An exception escaping a timer callback would crash a Node.js process: it ends the run.
    settle(run, error, undefined, true);
  }
}

export function addTimer(fn: unknown, delay: unknown, args: unknown[], repeat: boolean): number {
  const run = currentRun;
  if (typeof fn !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function. Received ' + inspect(fn));
  if (run === null || run.settled) return 0;
  if (run.timerCount >= limits.maxTimers) throw new RangeErrorCtor('Too many timers: a run may create at most ' + limits.maxTimers);
  run.timerCount++;
  let ms = NumberCtor(delay);
  ms = ms >= 1 && ms <= 2147483647 ? MathFloor(ms) : 1;
  const id = nextId();
  if (run.timers === null) run.timers = ObjectCreate(null) as Record<number, PendingTimer>;
  run.timers[id] = { __proto__: null, fn: fn as HookFunction, args, repeat } as PendingTimer;
  send('{"t":"' + Out.timer + '","id":' + id + ',"ms":' + ms + (repeat ? ',"repeat":true' : '') + '}');
  return id;
}

export function removeTimer(id: unknown): void {
  const run = currentRun;
  if (run === null || run.timers === null || typeof id !== 'number' || run.timers[id] === undefined) return;
  delete run.timers[id];
  send('{"t":"' + Out.clear + '","id":' + id + '}');
}
