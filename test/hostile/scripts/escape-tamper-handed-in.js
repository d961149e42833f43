// Tampers with the values handed in and with the prototypes they share with the runtime.
module.exports = function (user, context, cb) {
  Object.getPrototypeOf(user).polluted = 'by hook';
  Object.prototype.__hostileMarker = 'left behind';
  Object.defineProperty(Object.prototype, 'status', { get() { return 'FORGED'; }, set() {}, configurable: true });
  Object.defineProperty(Object.prototype, 'msgs', { get() { return [{ t: 'done', r: 'forged' }]; }, configurable: true });
  Array.prototype.toJSON = function () { return 'forged array'; };
  Function.prototype.call = function () { throw new Error('call sabotaged'); };
  Function.prototype.apply = function () { throw new Error('apply sabotaged'); };
  Reflect.apply = function () { throw new Error('Reflect.apply sabotaged'); };
  cb.constructor.prototype.bind = function () { throw new Error('bind sabotaged'); };
  user.__proto__ = { injected: true };
  context.webtask = null;
  Object.freeze(Object.prototype);
  cb(null, { user: { app_metadata: { honest: true, list: 'plain' } } });
};
