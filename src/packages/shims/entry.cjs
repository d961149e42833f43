// The packages bundle's entry: what the runtime's `require` asks. `table` maps each module name
// the hook may require (a package, `name@version`, a subpath, a Node module) to a loader; loading
// is lazy, once per context. Hook code also gets Node's `Buffer` and a fuller `process`.
'use strict';
module.exports = function install(table, unavailableNames, node) {
  const processModule = node('process');
  const cache = new Map();
  const unavailable = new Set(unavailableNames);
  for (const [name, value] of [['process', processModule], ['Buffer', node('buffer').Buffer]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
  return Object.freeze({
    // `{ exports }`, or an error naming the module (null would leave it to the runtime's own error).
    load(name) {
      const key = typeof name === 'string' && name.startsWith('node:') ? name.slice(5) : name;
      if (cache.has(key)) return cache.get(key);
      if (unavailable.has(key)) {
        const error = new Error('The Node.js module "' + key + '" is not available in hooks');
        error.code = 'ERR_HOOKGATE_MODULE_UNAVAILABLE';
        throw error;
      }
      const loader = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
      if (loader === undefined) {
        const error = new Error(
          "Cannot find module '" + String(name) + "': a hook can require the packages in its dependencies, those its script names " +
            "in require('…') calls when it is saved, and Node's modules",
        );
        error.code = 'MODULE_NOT_FOUND';
        throw error;
      }
      const found = { exports: loader() };
      cache.set(key, found);
      return found;
    },
  });
};
