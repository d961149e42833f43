// Node's `timers` over the sandbox's own timers (bounded per run by the sandbox). They hand out
// Timeout objects with ref/unref as Node does, since packages call `timer.unref()`.
'use strict';
const sandbox = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
};

class Timeout {
  constructor(id) { this._id = id; }
  ref() { return this; }
  unref() { return this; }
  hasRef() { return true; }
  refresh() { return this; }
  close() { clear(this); return this; }
  [Symbol.toPrimitive]() { return this._id; }
}

function clear(timer) {
  sandbox.clearTimeout(timer instanceof Timeout ? timer._id : timer);
}

const timers = {
  setTimeout: (fn, ms, ...args) => new Timeout(sandbox.setTimeout(fn, ms, ...args)),
  setInterval: (fn, ms, ...args) => new Timeout(sandbox.setInterval(fn, ms, ...args)),
  setImmediate: (fn, ...args) => new Timeout(sandbox.setImmediate(fn, ...args)),
  clearTimeout: clear,
  clearInterval: clear,
  clearImmediate: clear,
};
timers.promises = {
  setTimeout: (ms, value) => new Promise((resolve) => timers.setTimeout(() => resolve(value), ms)),
  setImmediate: (value) => new Promise((resolve) => timers.setImmediate(() => resolve(value))),
};

module.exports = timers;
