// Values JSON has no word for: a function, a symbol, undefined, NaN, a Map.
module.exports = function (user, context, cb) {
  cb(null, { fn: () => 1, sym: Symbol('s'), undef: undefined, nan: NaN, inf: -Infinity, map: new Map([[1, 2]]), date: new Date(0), list: [() => 1, undefined] });
};
