/**
 * The run a context serves now, and its outbox. The host calls one entry function (main.ts), which
 * always returns the run's outbox as a JSON string: `{"logs": n, "style": …, "msgs": [...]}` (the
 * messages are the protocol's `Out` kinds). Console lines alone leave through `postLog` as they
 * are written, so the host sees them live and keeps them even when the isolate is killed mid-run;
 * `logs` tells the host how many to wait for before it reports a run.
 */
import { ObjectSetPrototypeOf } from './intrinsics.ts';

export type HookFunction = (...args: unknown[]) => unknown;

export interface PendingTimer {
  fn: HookFunction;
  args: unknown[];
  repeat: boolean;
}

export interface PendingFetch {
  resolve: (response: unknown) => void;
  reject: (error: unknown) => void;
}

export type RunStyle = 'unknown' | 'callback' | 'promise';

// Every field is set in the constructor (declared only: no class fields), so no read ever falls
// through to a prototype; timers and fetches are null-prototype dictionaries created on first use
// (most runs have neither).
export class RunState {
  declare token: number;
  declare env: Readonly<Record<string, string>>;
  declare settled: boolean;
  declare style: RunStyle;
  declare logCount: number;
  declare timers: Record<number, PendingTimer> | null;
  declare timerCount: number;
  declare fetches: Record<number, PendingFetch> | null;
  declare fetchCount: number;

  constructor(token: number, env: Readonly<Record<string, string>>) {
    this.token = token;
    this.env = env;
    this.settled = false;
    this.style = 'unknown';
    this.logCount = 0;
    this.timers = null;
    this.timerCount = 0;
    this.fetches = null;
    this.fetchCount = 0;
  }
}
ObjectSetPrototypeOf(RunState.prototype, null);

/** The run whose call executes now, or whose microtasks run; null before the first. */
export let currentRun: RunState | null = null;
let outbox = '';
let sequence = 0;

/** Makes `run` the context's run, with an empty outbox. */
export function beginRun(run: RunState): void {
  currentRun = run;
  outbox = '';
}

/** Ids of timers and fetches: unique in the context, whatever run made them. */
export function nextId(): number {
  return ++sequence;
}

/** Adds one JSON message to the outbox. */
export function send(message: string): void {
  outbox = outbox === '' ? message : outbox + ',' + message;
}

export function takeOutbox(): string {
  const run = currentRun;
  const text = run === null
    ? '{"logs":0,"msgs":[' + outbox + ']}'
    : '{"logs":' + run.logCount + ',"style":"' + run.style + '","msgs":[' + outbox + ']}';
  outbox = '';
  return text;
}
