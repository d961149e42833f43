module.exports = function (user, context, cb) {
  setTimeout(() => { for (;;) {} }, 5);
};
