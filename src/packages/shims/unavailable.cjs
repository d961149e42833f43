// What `require('fs')` (and the other host-only modules) gives a bundled package: loading works,
// as packages often require such modules at their top level, but any use throws an error that
// names the module. Hook code itself gets the error at `require` (see entry.js).
'use strict';
module.exports = function unavailableModule(name) {
  const fail = (what) => {
    const error = new Error('The Node.js module "' + name + '" is not available in hooks (' + name + '.' + what + ' was used)');
    error.code = 'ERR_HOOKGATE_MODULE_UNAVAILABLE';
    throw error;
  };
  return new Proxy(function () {}, {
    get(target, key) {
      if (key === '__esModule' || key === 'default' || typeof key === 'symbol' || key === 'then') return undefined;
      return function () { fail(String(key)); };
    },
    apply() { fail('()'); },
    construct() { fail('new'); },
  });
};
