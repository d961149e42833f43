// Node's `console` module: the sandbox's console.
'use strict';
module.exports = globalThis.console;
