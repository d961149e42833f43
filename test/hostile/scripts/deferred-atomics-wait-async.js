// Atomics.waitAsync settles from a task of its own, after the run, with no timeout around it.
module.exports = function (user, context, cb) {
  const result = Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  result.value.then(() => { for (;;) {} });
  cb(null, { async: result.async });
};
