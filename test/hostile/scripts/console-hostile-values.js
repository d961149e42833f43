// Values whose formatting fights back: throwing proxies and getters, deep and wide structures.
module.exports = function (user, context, cb) {
  const trap = () => { throw new Error('trap'); };
  const proxy = new Proxy({}, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, has: trap });
  const recursive = new Proxy({}, { ownKeys() { console.log(recursive); return []; } });
  let deep = {};
  for (let i = 0; i < 10000; i++) deep = { deep };
  const wide = {};
  for (let i = 0; i < 100000; i++) wide['k' + i] = i;
  const evil = { toString: trap, valueOf: trap, [Symbol.toPrimitive]: trap, get x() { return trap(); } };
  console.log(proxy);
  console.log(recursive);
  console.log(deep, new Array(1e6).fill('z'), wide);
  console.log('%s %d %j %o', evil, evil, evil, evil);
  console.log(Object.create(null), Symbol('s'), 10n ** 1000n);
  cb(null, { survived: true });
};
