// Error.prepareStackTrace hands out call sites; in sloppy frames they expose functions and receivers.
// The runtime's frames must expose neither, so nothing of the runtime's closure can be reached.
module.exports = function (user, context, cb) {
  const frames = [];
  const reached = [];
  Error.prepareStackTrace = (error, callSites) => {
    for (const site of callSites) {
      const fn = site.getFunction();
      const self = site.getThis();
      const file = site.getFileName();
      frames.push({ file: String(file), fn: typeof fn, self: typeof self });
      if (file !== 'file:///hook.js') {
        if (fn) reached.push('function of ' + file + ': ' + String(fn).slice(0, 80));
        if (self && self !== globalThis) reached.push('receiver of ' + file);
      }
    }
    return 'prepared';
  };
  const provoke = [
    () => setTimeout('not a function'),
    () => fetch(Symbol('x')),
    () => new Headers({ 'bad header': 'x' }),
    () => queueMicrotask(42),
    () => console.log({ get boom() { throw new Error('getter'); } }, { toString() { throw new Error('x'); } }),
    () => atob('%%%'),
    () => new URL('not a url'),
    () => require('fs'),
  ];
  for (const fn of provoke) {
    try { fn(); } catch (error) { void error.stack; }
  }
  // And through the callback: the runtime reads the stack of the error it is given.
  const bait = new Error('bait');
  Error.prepareStackTrace = (error, callSites) => {
    for (const site of callSites) {
      if (site.getFileName() !== 'file:///hook.js' && (site.getFunction() || site.getThis())) reached.push('at callback: ' + site.getFileName());
    }
    return 'x';
  };
  try { cb.call(null, null, { frames: frames.length, reached }); } catch (error) { void error; }
  void bait;
};
