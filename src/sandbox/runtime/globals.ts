/**
 * What hook code finds on the global object: the runtime's web and Node-like APIs, installed as
 * non-enumerable properties, and the V8 built-ins a hook must not have removed.
 */
import { console } from './console.ts';
import { atob, btoa, TextDecoder, TextEncoder } from './encoding.ts';
import { fetch, Headers, Response } from './fetch-api.ts';
import { ErrorCtor, globalObject, ObjectDefineProperty, ObjectFreeze, ObjectKeys, PromisePrototypeThen, PromiseResolve, TypeErrorCtor } from './intrinsics.ts';
import { crypto } from './random.ts';
import { currentRun } from './run-state.ts';
import { addTimer, removeTimer } from './timers.ts';
import { URL, URLSearchParams } from './url.ts';

class PreUserRegistrationError extends ErrorCtor {
  declare userMessage: unknown;
  constructor(logMessage?: string, userMessage?: unknown) {
    super(logMessage);
    this.userMessage = userMessage;
  }
}
ObjectDefineProperty(PreUserRegistrationError.prototype, 'name', { __proto__: null, value: 'PreUserRegistrationError', writable: true, configurable: true } as PropertyDescriptor);

const EMPTY_ENV = ObjectFreeze({ __proto__: null });
const process = ObjectFreeze({ get env() { return currentRun === null ? EMPTY_ENV : currentRun.env; } });

type Callback = (...args: unknown[]) => unknown;

export function installGlobals(): void {
  const installed: Record<string, unknown> = {
    __proto__: null,
    console, fetch, Headers, Response, crypto, atob, btoa, TextEncoder, TextDecoder, URL, URLSearchParams, process,
    PreUserRegistrationError,
    global: globalObject,
    setTimeout(fn: Callback, ms: unknown, ...args: unknown[]) { return addTimer(fn, ms, args, false); },
    setInterval(fn: Callback, ms: unknown, ...args: unknown[]) { return addTimer(fn, ms, args, true); },
    setImmediate(fn: Callback, ...args: unknown[]) { return addTimer(fn, 0, args, false); },
    clearTimeout: removeTimer,
    clearInterval: removeTimer,
    clearImmediate: removeTimer,
    queueMicrotask(fn: Callback) {
      if (typeof fn !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function');
      PromisePrototypeThen(PromiseResolve(), fn);
    },
  } as Record<string, unknown>;
  const isolateGlobal = globalObject as unknown as IsolateGlobal;
  // The one way to block in a bare V8 without burning CPU (a run's CPU time would not show it).
  delete isolateGlobal.Atomics.wait;
  // APIs that run hook code later, outside any call of the host, with no timeout: a FinalizationRegistry
  // cleanup callback, an Atomics.waitAsync settling, an asynchronous WebAssembly compile resolving. Such
  // code holds the isolate's lock for as long as it likes, so the host's next synchronous call into the
  // isolate (creating a context) would block the whole process; Atomics.waitAsync even aborts it.
  // WebAssembly also goes for its memories, which the isolate's heap limit does not count: a hook could
  // otherwise fill gigabytes of the host's memory.
  delete isolateGlobal.Atomics.waitAsync;
  delete isolateGlobal.FinalizationRegistry;
  delete isolateGlobal.WebAssembly;

  const names = ObjectKeys(installed);
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(globalObject, names[i], { __proto__: null, value: installed[names[i]], writable: true, configurable: true, enumerable: false } as PropertyDescriptor);
  }
}
