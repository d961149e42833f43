/**
 * The protocol between the sandbox process and the runtime in each context: the calls it makes
 * (`entry(op, token, …)`), the messages of the outbox the runtime answers with, and the limits and
 * fetch records that cross between them. One description for both sides: the host imports this
 * module, and the runtime (runtime/, bundled into the isolate) imports it too, so it must stay
 * free of host code: values here are plain constants, everything else is a type.
 */
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

/** What the runtime needs to know about the limits; serialized into each context once. */
export interface RuntimeLimits {
  maxLogLines: number;
  maxLogLineBytes: number;
  maxTimers: number;
  maxFetches: number;
  /** Largest fetch request body, in UTF-16 code units (the host caps bytes on the way back). */
  maxFetchBodyBytes: number;
  /** Headers a fetch request may carry. */
  maxFetchHeaders: number;
  /** Characters of a fetch request's URL, and of its header names and values together. */
  maxFetchHeadBytes: number;
  maxResponseBytes: number;
  maxResponseDepth: number;
  wrapperColumnOffset: number;
}

/**
 * The host's console callback as the runtime calls it (an isolated-vm Callback with `ignored`:
 * it returns nothing and never waits). The host trusts none of its arguments.
 */
export type PostLog = (token: number, level: string, message: string) => void;

/** A request as the isolate describes it (already validated in the isolate, checked again on the host). */
export interface FetchRequest {
  url: string;
  method: string;
  headers: [string, string][];
  body: string | null;
}

/** The host's answer to a fetch, delivered as JSON with `Op.fetch`. */
export type FetchOutcome =
  | { status: number; statusText: string; url: string; redirected: boolean; headers: [string, string][]; body: string }
  | { error: string; code: string };

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
