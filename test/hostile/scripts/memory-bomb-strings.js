// Flat (not rope) strings of a megabyte each, kept alive.
module.exports = function (user, context, cb) {
  const hoard = [];
  for (let i = 0; ; i++) hoard.push(('x'.repeat(1 << 20) + i).split('').join(''));
};
