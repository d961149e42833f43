module.exports = function (user, context, cb) {
  while (true) {}
};
