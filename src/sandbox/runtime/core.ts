/**
 * In-isolate source: the run protocol (its names in ../runtime-protocol.ts, shared with the host).
 * The host calls one entry function, `entry(op, …)`, which
 * always returns the run's outbox as a JSON string: `{"logs": n, "msgs": [...]}` where messages
 * are `done` (the response, already serialized and size-checked), `fail`, `timer`, `clear` and
 * `fetch`. Console lines alone leave through `postLog` as they are written, so the host sees them
 * live and keeps them even when the isolate is killed mid-run; `logs` tells the host how many to
 * wait for before it reports a run.
 */
import { Op, Out } from '../runtime-protocol.ts';

export const coreSource = String.raw`
let currentRun = null;
let outbox = '';
let sequence = 0;
let hookFactory = null;
let hookModule = null;
// The hook's packages bundle (src/packages/shims/entry.cjs), when it has one.
let bundleModules = null;

function send(message) {
  outbox = outbox === '' ? message : outbox + ',' + message;
}

function takeOutbox() {
  const run = currentRun;
  const text = run === null
    ? '{"logs":0,"msgs":[' + outbox + ']}'
    : '{"logs":' + run.logCount + ',"style":"' + run.style + '","msgs":[' + outbox + ']}';
  outbox = '';
  return text;
}

function writeLog(level, args) {
  const run = currentRun;
  if (run === null || run.logCount > limits.maxLogLines) return;
  let message;
  try { message = formatLogArguments(args); } catch (error) { message = '[console formatting failed: ' + safeString(error) + ']'; }
  // The host cuts lines to the exact byte limit and adds the marker; this only avoids copying megabytes.
  if (message.length > limits.maxLogLineBytes + 1) message = StringPrototypeSlice(message, 0, limits.maxLogLineBytes + 1);
  run.logCount++;
  postLog(run.token, level, message);
}

const console = ObjectFreeze({
  log(...args) { writeLog('LOG', args); },
  info(...args) { writeLog('INFO', args); },
  warn(...args) { writeLog('WARN', args); },
  error(...args) { writeLog('ERROR', args); },
  debug(...args) { writeLog('DEBUG', args); },
  trace(...args) { writeLog('DEBUG', args); },
});

const HOOK_POSITION = /file:\/\/\/hook\.js:([0-9]+):([0-9]+)/;

// Error texts leave the isolate whole otherwise: a hook could throw a message of many megabytes.
const MAX_ERROR_TEXT = 4096;
function clip(text) {
  return text.length > MAX_ERROR_TEXT ? StringPrototypeSlice(text, 0, MAX_ERROR_TEXT) + '…' : text;
}

function describeError(error) {
  const info = { __proto__: null, name: 'Error', message: '', userMessage: null, line: null, column: null };
  try {
    if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
      const name = error.name;
      info.name = name === undefined || name === null || name === '' ? 'Error' : safeString(name);
      const message = error.message;
      info.message = message === undefined || message === null ? safeString(error) : safeString(message);
      const userMessage = error.userMessage;
      if (userMessage !== undefined && userMessage !== null) info.userMessage = safeString(userMessage);
      const stack = error.stack;
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

function fail(run, error, extra) {
  const info = extra === undefined ? describeError(error) : { __proto__: null, ...describeError(error), ...extra };
  send('{"t":"${Out.fail}","error":' + JSONStringify({
    name: clip(info.name), message: clip(info.message), userMessage: info.userMessage === null ? null : clip(info.userMessage),
    line: info.line, column: info.column,
  }) + (info.unload ? ',"unload":true' : '') + '}');
}

function failWith(run, name, message) {
  const error = new ErrorCtor(message);
  error.name = name;
  settle(run, error, undefined, true);
}

function settle(run, error, value, isError) {
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
  if (json.length > 2 * MAX_RESPONSE_DEPTH && jsonDepth(json) > MAX_RESPONSE_DEPTH) {
    run.settled = false;
    return failWith(run, 'ResponseTooDeep', 'The response nests objects and arrays more than ' + MAX_RESPONSE_DEPTH + ' levels deep');
  }
  send('{"t":"${Out.done}","r":' + json + '}');
}

const MAX_RESPONSE_DEPTH = limits.maxResponseDepth;

// The deepest nesting of objects and arrays in a JSON text (brackets inside strings do not count).
function jsonDepth(json) {
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

function loadModule(run) {
  const module = { exports: {}, id: '.', filename: '/hook.js', loaded: false, children: [], paths: [] };
  ReflectApply(hookFactory, module.exports, [module.exports, require, module, '/hook.js', '/']);
  module.loaded = true;
  hookModule = module;
}

// Every field is set in the constructor, so no read ever falls through to a prototype; timers and
// fetches are null-prototype dictionaries created on first use (most runs have neither).
class RunState {
  constructor(token, env) {
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

function startRun(token, payloadJson) {
  const payload = JSONParse(payloadJson);
  const run = new RunState(token, ObjectFreeze(payload.env));
  currentRun = run;
  outbox = '';
  if (hookModule === null) {
    try { loadModule(run); } catch (error) { run.settled = true; fail(run, error, { unload: true }); return; }
  }
  const exported = hookModule.exports;
  const args = payload.args;
  try {
    let returned;
    if (typeof exported === 'function') {
      run.style = 'callback';
      // The host sends the arguments with a trailing placeholder: replacing an existing element
      // is faster than growing the array, and never reaches a (possibly tampered) Array.prototype.
      args[args.length - 1] = function callback(error, response) {
        if (error !== undefined && error !== null) settle(run, error, undefined, true);
        else settle(run, null, response, false);
      };
      returned = ReflectApply(exported, undefined, args);
      if (returned !== null && typeof returned === 'object') {
        PromisePrototypeThen(PromiseResolve(returned), undefined, (error) => settle(run, error, undefined, true));
      }
    } else if (exported !== null && (typeof exported === 'object' || typeof exported === 'function') && typeof exported.handler === 'function') {
      run.style = 'promise';
      returned = ReflectApply(exported.handler, exported, [args.length > 1 ? args[0] : undefined]);
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

function fireTimer(run, id) {
  const timers = run.timers;
  const timer = timers === null ? undefined : timers[id];
  if (timer === undefined || run.settled) return;
  if (!timer.repeat) delete timers[id];
  try {
    ReflectApply(timer.fn, undefined, timer.args);
  } catch (error) {
    // An exception escaping a timer callback would crash a Node.js process: it ends the run.
    settle(run, error, undefined, true);
  }
}

function addTimer(fn, delay, args, repeat) {
  const run = currentRun;
  if (typeof fn !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function. Received ' + inspect(fn));
  if (run === null || run.settled) return 0;
  if (run.timerCount >= limits.maxTimers) throw new RangeErrorCtor('Too many timers: a run may create at most ' + limits.maxTimers);
  run.timerCount++;
  let ms = NumberCtor(delay);
  ms = ms >= 1 && ms <= 2147483647 ? MathFloor(ms) : 1;
  const id = ++sequence;
  if (run.timers === null) run.timers = ObjectCreate(null);
  run.timers[id] = { __proto__: null, fn, args, repeat };
  send('{"t":"${Out.timer}","id":' + id + ',"ms":' + ms + (repeat ? ',"repeat":true' : '') + '}');
  return id;
}

function removeTimer(id) {
  const run = currentRun;
  if (run === null || run.timers === null || typeof id !== 'number' || run.timers[id] === undefined) return;
  delete run.timers[id];
  send('{"t":"${Out.clear}","id":' + id + '}');
}

function entry(op, token, a, b) {
  if (op === '${Op.start}') {
    startRun(token, a);
  } else if (op === '${Op.poll}') {
    // Nothing to do: the microtasks that ran after the previous call filled the outbox.
  } else if (op === '${Op.init}') {
    hookFactory = token;
    seedRandom(a);
    if (b !== undefined) bundleModules = b;
    return '';
  } else {
    const run = currentRun;
    // Fetch answers still reach a settled run: requests it started outlive its answer.
    if (run === null || run.token !== token || (run.settled && op !== '${Op.fetch}')) return takeOutbox();
    if (op === '${Op.timer}') fireTimer(run, a);
    else if (op === '${Op.fetch}') deliverFetch(run, a, b);
  }
  return takeOutbox();
}
`;
