// An asynchronous compile resolves from a background task, outside any run.
module.exports = function (user, context, cb) {
  WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => { for (;;) {} });
  cb(null, { compiling: true });
};
