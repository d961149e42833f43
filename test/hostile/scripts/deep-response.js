// A few kilobytes of [[[[…]]]]: small enough for the size cap, deep enough to overflow a recursive walk.
module.exports = function (user, context, cb) {
  let nested = 'bottom';
  for (let i = 0; i < 20000; i++) nested = [nested];
  cb(null, { user: { app_metadata: { nested } } });
};
