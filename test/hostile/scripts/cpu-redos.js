// Catastrophic backtracking: the time is spent inside the regular expression engine.
module.exports = function (user, context, cb) {
  const matched = /^(a+)+$/.test('a'.repeat(40) + '!');
  cb(null, { matched });
};
