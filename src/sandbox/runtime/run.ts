/**
 * A run of the hook: the module loaded on the first run, then its handler called in the style it
 * exports (an Auth0 callback function, or a OneLogin `handler` returning a promise).
 */
import { hookModule, loadModule } from './hook-module.ts';
import { JSONParse, ObjectFreeze, PromisePrototypeThen, PromiseResolve, ReflectApply, TypeErrorCtor } from './intrinsics.ts';
import { beginRun, RunState } from './run-state.ts';
import { fail, settle } from './settle.ts';

/** What the host sends with `Op.start`. */
interface StartPayload {
  /** The handler's arguments, with a trailing placeholder for the callback. */
  args: unknown[];
  env: Record<string, string>;
}

type Handler = (...args: unknown[]) => unknown;

export function startRun(token: number, payloadJson: string): void {
  const payload = JSONParse(payloadJson) as StartPayload;
  const run = new RunState(token, ObjectFreeze(payload.env));
  beginRun(run);
  if (hookModule === null) {
    try { loadModule(); } catch (error) { run.settled = true; fail(run, error, { unload: true }); return; }
  }
  const exported = hookModule!.exports as Handler | { handler?: unknown } | null;
  const args = payload.args;
  try {
    let returned;
    if (typeof exported === 'function') {
      run.style = 'callback';
      // The host sends the arguments with a trailing placeholder: replacing an existing element
      // is faster than growing the array, and never reaches a (possibly tampered) Array.prototype.
      args[args.length - 1] = function callback(error: unknown, response: unknown) {
        if (error !== undefined && error !== null) settle(run, error, undefined, true);
        else settle(run, null, response, false);
      };
      returned = ReflectApply(exported, undefined, args);
      if (returned !== null && typeof returned === 'object') {
        PromisePrototypeThen(PromiseResolve(returned), undefined, (error) => settle(run, error, undefined, true));
      }
    } else if (exported !== null && (typeof exported === 'object' || typeof exported === 'function') && typeof exported.handler === 'function') {
      run.style = 'promise';
      returned = ReflectApply(exported.handler as Handler, exported, [args.length > 1 ? args[0] : undefined]);
      PromisePrototypeThen(PromiseResolve(returned), (value) => settle(run, null, value, false), (error) => settle(run, error, undefined, true));
    } else {
      run.settled = true;
      const error = new TypeErrorCtor('The script does not export a handler: assign module.exports = function (…, cb) { … } (Auth0 Hooks) or exports.handler = async (context) => { … } (OneLogin Smart Hooks)');
      error.name = 'NoHandlerError';
      fail(run, error);
    }
  } catch (error) {
    settle(run, error, undefined, true);
  }
}
