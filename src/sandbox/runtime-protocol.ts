/**
 * The protocol between the sandbox process and the runtime in each context: the calls it makes
 * (`entry(op, token, …)`) and the messages of the outbox the runtime answers with. One description
 * for both sides: the host imports these, and the runtime's source is written with them.
 */
import type { FetchRequest } from './host-fetch.ts';
import type { RunError } from './types.ts';

/** Calls into a context's runtime: `entry(op, …)`. */
export const Op = {
  /** `init(hookFactory, seedHex, bundleModules?)`: the hook's module function, the randomness seed, its packages' module table. */
  init: 'init',
  /** `start(token, payloadJson)`: a run begins. */
  start: 'start',
  /** `poll()`: read what microtasks wrote since the last call (runs no hook code). */
  poll: 'poll',
  /** `timer(token, id)`: a timer of the run fired. */
  timer: 'timer',
  /** `fetch(token, id, outcomeJson)`: a fetch of the run was answered. */
  fetch: 'fetch',
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Kinds of outbox messages (`t`). */
export const Out = {
  /** The run's response (`r`), already serialized and size-checked. */
  done: 'done',
  /** The run failed (`error`); `unload` when the module did not load. */
  fail: 'fail',
  /** Start a host timer `id` of `ms` (`repeat` for an interval). */
  timer: 'timer',
  clear: 'clear',
  /** Perform `req` and deliver the outcome as `fetch(token, id, …)`. */
  fetch: 'fetch',
} as const;

/** One message of the runtime's outbox. */
export interface OutboxMessage {
  t: string;
  id?: number;
  ms?: number;
  repeat?: boolean;
  r?: unknown;
  error?: RunError;
  unload?: boolean;
  req?: FetchRequest;
}

export interface Outbox {
  /** Console lines the runtime has posted for this run so far. */
  logs: number;
  /** `callback` (Auth0), `promise` (OneLogin) or `unknown` before the handler was found. */
  style?: string;
  msgs: OutboxMessage[];
}
