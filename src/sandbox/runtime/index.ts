/**
 * Assembles the in-isolate runtime: one function expression that a fresh context evaluates once,
 * calls with the host's log callback and its limits, and that returns the entry function. The
 * bridges live only in this closure; nothing of the host is left on the global object.
 */
import { coreSource } from './core.ts';
import { encodingSource } from './encoding.ts';
import { fetchApiSource } from './fetch-api.ts';
import { inspectSource } from './inspect.ts';
import { intrinsicsSource } from './intrinsics.ts';
import { urlSource } from './url.ts';

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

export const RUNTIME_FILENAME = 'hookgate:runtime';

const globalsSource = String.raw`
const AVAILABLE = 'console, fetch, Headers, Response, setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, ' +
  'crypto.randomUUID, crypto.getRandomValues, atob, btoa, TextEncoder, TextDecoder, URL, URLSearchParams, process.env';

function require(name) {
  if (bundleModules !== null) {
    const found = bundleModules.load(name);
    if (found !== null) return found.exports;
  }
  const error = new ErrorCtor("Cannot find module '" + safeString(name) + "': hook scripts cannot require modules. Available instead: " + AVAILABLE + '.');
  error.code = 'MODULE_NOT_FOUND';
  throw error;
}

class PreUserRegistrationError extends ErrorCtor {
  constructor(logMessage, userMessage) {
    super(logMessage);
    this.userMessage = userMessage;
  }
}
ObjectDefineProperty(PreUserRegistrationError.prototype, 'name', { __proto__: null, value: 'PreUserRegistrationError', writable: true, configurable: true });

const EMPTY_ENV = ObjectFreeze({ __proto__: null });
const process = ObjectFreeze({ get env() { return currentRun === null ? EMPTY_ENV : currentRun.env; } });

const installed = {
  __proto__: null,
  console, fetch, Headers, Response, crypto, atob, btoa, TextEncoder, TextDecoder, URL, URLSearchParams, process,
  PreUserRegistrationError,
  global: globalObject,
  setTimeout(fn, ms, ...args) { return addTimer(fn, ms, args, false); },
  setInterval(fn, ms, ...args) { return addTimer(fn, ms, args, true); },
  setImmediate(fn, ...args) { return addTimer(fn, 0, args, false); },
  clearTimeout: removeTimer,
  clearInterval: removeTimer,
  clearImmediate: removeTimer,
  queueMicrotask(fn) {
    if (typeof fn !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function');
    PromisePrototypeThen(PromiseResolve(), fn);
  },
};
// The one way to block in a bare V8 without burning CPU (a run's CPU time would not show it).
delete globalObject.Atomics.wait;
// APIs that run hook code later, outside any call of the host, with no timeout: a FinalizationRegistry
// cleanup callback, an Atomics.waitAsync settling, an asynchronous WebAssembly compile resolving. Such
// code holds the isolate's lock for as long as it likes, so the host's next synchronous call into the
// isolate (creating a context) would block the whole process; Atomics.waitAsync even aborts it.
// WebAssembly also goes for its memories, which the isolate's heap limit does not count: a hook could
// otherwise fill gigabytes of the host's memory.
delete globalObject.Atomics.waitAsync;
delete globalObject.FinalizationRegistry;
delete globalObject.WebAssembly;

const names = ObjectKeys(installed);
for (let i = 0; i < names.length; i++) {
  ObjectDefineProperty(globalObject, names[i], { __proto__: null, value: installed[names[i]], writable: true, configurable: true, enumerable: false });
}
`;

export const runtimeSource =
  "(function hookgateRuntime(postLog, limitsJson) {\n'use strict';\n" +
  intrinsicsSource +
  'const limits = JSONParse(limitsJson);\n' +
  inspectSource +
  encodingSource +
  urlSource +
  fetchApiSource +
  coreSource +
  globalsSource +
  'return entry;\n})';
