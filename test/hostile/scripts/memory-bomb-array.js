module.exports = function (user, context, cb) {
  const hoard = [];
  for (;;) hoard.push({ index: hoard.length, payload: new Array(64).fill(hoard.length) });
};
