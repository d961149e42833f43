// The handler returns a thenable whose then getter throws once it is asked.
exports.handler = (context) => {
  const thenable = {};
  Object.defineProperty(thenable, 'then', { get() { throw new TypeError('then getter refused'); } });
  return thenable;
};
