// A cleanup callback runs whenever the garbage collector decides, outside any run and its timeout.
const registry = new FinalizationRegistry(() => { for (;;) {} });
module.exports = function (user, context, cb) {
  for (let i = 0; i < 1e5; i++) registry.register({ garbage: new Array(100) }, i);
  cb(null, { registered: true });
};
