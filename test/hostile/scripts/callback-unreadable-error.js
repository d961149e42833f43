// An "error" that throws on every property read and on every conversion.
module.exports = function (user, context, cb) {
  const trap = () => { throw new Error('trap'); };
  cb(new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap }));
};
