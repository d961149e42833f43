// Answers, then keeps the isolate busy with microtasks forever.
module.exports = function (user, context, cb) {
  cb(null, { answered: true });
  (async () => { for (;;) await null; })();
};
