// In-isolate `process` for bundled packages and hook code: Node's shape, with `env` read from the
// sandbox runtime's own `process` (the run's env vars and secrets) and nothing of the host.
'use strict';
const runtimeProcess = globalThis.process;
const startedAt = Date.now();
const noop = function () { return process; };

// The sandbox has no `performance`; milliseconds are the finest clock a hook can read.
const clock = () => Date.now() - startedAt;

function hrtime(previous) {
  const now = clock();
  let seconds = Math.floor(now / 1000);
  let nanos = Math.floor((now % 1000) * 1e6);
  if (previous) {
    seconds -= previous[0];
    nanos -= previous[1];
    if (nanos < 0) { seconds--; nanos += 1e9; }
  }
  return [seconds, nanos];
}
hrtime.bigint = () => BigInt(clock()) * 1000000n;

function unavailable(name) {
  return function () { throw new Error('process.' + name + '() is not available in hooks'); };
}

const process = {
  title: 'node',
  version: 'v24.0.0',
  versions: { node: '24.0.0', v8: '13.6' },
  release: { name: 'node' },
  platform: 'linux',
  arch: 'x64',
  pid: 1,
  ppid: 0,
  argv: ['node', '/hook.js'],
  execArgv: [],
  execPath: '/usr/local/bin/node',
  exitCode: undefined,
  browser: false,
  get env() { return runtimeProcess && runtimeProcess.env ? runtimeProcess.env : {}; },
  nextTick(fn, ...args) { queueMicrotask(() => fn(...args)); },
  cwd() { return '/'; },
  umask() { return 0o22; },
  uptime() { return (Date.now() - startedAt) / 1000; },
  hrtime,
  memoryUsage() { return { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }; },
  cpuUsage() { return { user: 0, system: 0 }; },
  emitWarning(warning) { console.warn(typeof warning === 'string' ? 'Warning: ' + warning : String(warning)); },
  binding: unavailable('binding'),
  chdir: unavailable('chdir'),
  exit: unavailable('exit'),
  abort: unavailable('abort'),
  kill: unavailable('kill'),
  on: noop, once: noop, off: noop, addListener: noop, removeListener: noop, removeAllListeners: noop,
  prependListener: noop, prependOnceListener: noop,
  emit() { return false; },
  listeners() { return []; },
  listenerCount() { return 0; },
  stdout: { isTTY: false, write(text) { console.log(String(text).replace(/\n$/, '')); return true; } },
  stderr: { isTTY: false, write(text) { console.error(String(text).replace(/\n$/, '')); return true; } },
  features: {},
  config: { variables: {} },
};
// axios (0.x and 1.x) and others tell Node from a browser by Object.prototype.toString(process).
Object.defineProperty(process, Symbol.toStringTag, { value: 'process' });

module.exports = process;
