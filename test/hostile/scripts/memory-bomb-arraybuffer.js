// Array buffers live outside the JavaScript heap; the isolate's limit must still count them.
module.exports = function (user, context, cb) {
  const hoard = [];
  for (;;) {
    const buffer = new ArrayBuffer(32 * 1024 * 1024);
    new Uint8Array(buffer).fill(1);
    hoard.push(buffer);
  }
};
