// Never yields back to the host: every microtask queues the next.
module.exports = function (user, context, cb) {
  const again = () => Promise.resolve().then(again);
  again();
};
