// Every flavour of code evaluation, asked for the global object, require and the host's module system.
module.exports = function (user, context, cb) {
  const globals = [
    Function('return this')(),
    (0, eval)('this'),
    eval('(function () { return this })()'),
    new Function('return globalThis')(),
    (async function () {}).constructor('return this'),
  ];
  const report = globals.map((g) => {
    if (typeof g === 'function') g = null;
    if (!g) return null;
    return {
      same: g === globalThis,
      require: typeof g.require,
      module: typeof g.module,
      Buffer: typeof g.Buffer,
      processKeys: g.process ? Object.getOwnPropertyNames(g.process) : null,
      binding: typeof (g.process && g.process.binding),
      dlopen: typeof (g.process && g.process.dlopen),
      ivm: typeof g._ivm,
    };
  });
  cb(null, { report });
};
