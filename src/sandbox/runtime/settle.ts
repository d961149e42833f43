/**
 * How a run ends: its response checked and serialized, or its error described, into the outbox.
 * Only the first settling counts.
 */
import { Out } from '../runtime-protocol.ts';
import { writeLog } from './console.ts';
import { utf8Length } from './encoding.ts';
import { limits } from './host-bindings.ts';
import { ErrorCtor, JSONStringify, NumberCtor, RegExpPrototypeExec, safeString, StringPrototypeCharCodeAt, StringPrototypeSlice } from './intrinsics.ts';
import { currentRun, send, type RunState } from './run-state.ts';

const HOOK_POSITION = /file:\/\/\/hook\.js:([0-9]+):([0-9]+)/;

// Error texts leave the isolate whole otherwise: a hook could throw a message of many megabytes.
const MAX_ERROR_TEXT = 4096;
function clip(text: string): string {
  return text.length > MAX_ERROR_TEXT ? StringPrototypeSlice(text, 0, MAX_ERROR_TEXT) + '…' : text;
}

interface ErrorInfo {
  name: string;
  message: string;
  userMessage: string | null;
  line: number | null;
  column: number | null;
  unload?: boolean;
}

/** A thrown value of the hook's, read once and defensively. */
interface Thrown {
  name?: unknown;
  message?: unknown;
  userMessage?: unknown;
  stack?: unknown;
}

export function describeError(error: unknown): ErrorInfo {
  const info = { __proto__: null, name: 'Error', message: '', userMessage: null, line: null, column: null } as ErrorInfo;
  try {
    if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
      const thrown = error as Thrown;
      const name = thrown.name;
      info.name = name === undefined || name === null || name === '' ? 'Error' : safeString(name);
      const message = thrown.message;
      info.message = message === undefined || message === null ? safeString(error) : safeString(message);
      const userMessage = thrown.userMessage;
      if (userMessage !== undefined && userMessage !== null) info.userMessage = safeString(userMessage);
      const stack = thrown.stack;
      const position = typeof stack === 'string' ? RegExpPrototypeExec(HOOK_POSITION, stack) : null;
      if (position !== null) {
        info.line = NumberCtor(position[1]);
        info.column = NumberCtor(position[2]);
        if (info.line === 1) info.column = info.column > limits.wrapperColumnOffset ? info.column - limits.wrapperColumnOffset : 1;
      }
    } else {
      info.message = safeString(error);
    }
  } catch {
    info.message = info.message || 'The hook failed with an error that could not be read';
  }
  return info;
}

export function fail(run: RunState, error: unknown, extra?: { unload: boolean }): void {
  const info: ErrorInfo = extra === undefined ? describeError(error) : { __proto__: null, ...describeError(error), ...extra } as ErrorInfo;
  send('{"t":"' + Out.fail + '","error":' + JSONStringify({
    name: clip(info.name), message: clip(info.message), userMessage: info.userMessage === null ? null : clip(info.userMessage),
    line: info.line, column: info.column,
  }) + (info.unload ? ',"unload":true' : '') + '}');
}

function failWith(run: RunState, name: string, message: string): void {
  const error = new ErrorCtor(message);
  error.name = name;
  settle(run, error, undefined, true);
}

export function settle(run: RunState, error: unknown, value: unknown, isError: boolean): void {
  if (run !== currentRun) return;
  if (run.settled) {
    if (run.style === 'callback') {
      writeLog('WARN', ['The callback was called more than once; the first result was kept and this call was ignored.']);
    }
    return;
  }
  run.settled = true;
  run.timers = null;
  if (isError) return fail(run, error);
  let json;
  try {
    json = JSONStringify(value);
  } catch (cause) {
    run.settled = false;
    return failWith(run, 'ResponseNotSerializable', 'The response cannot be serialized to JSON: ' + describeError(cause).message);
  }
  if (json === undefined) json = 'null';
  const max = limits.maxResponseBytes;
  if (json.length > max || (json.length * 3 > max && utf8Length(json) > max)) {
    run.settled = false;
    return failWith(run, 'ResponseTooLarge', 'The response is ' + utf8Length(json) + ' bytes of JSON, more than the ' + max + ' bytes allowed');
  }
  // A few kilobytes of [[[[…]]]] would overflow the stack of whatever walks the response on the host.
  const maxDepth = limits.maxResponseDepth;
  if (json.length > 2 * maxDepth && jsonDepth(json) > maxDepth) {
    run.settled = false;
    return failWith(run, 'ResponseTooDeep', 'The response nests objects and arrays more than ' + maxDepth + ' levels deep');
  }
  send('{"t":"' + Out.done + '","r":' + json + '}');
}

/** The deepest nesting of objects and arrays in a JSON text (brackets inside strings do not count). */
function jsonDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = StringPrototypeCharCodeAt(json, i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return deepest;
}
