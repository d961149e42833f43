// Node's `zlib`: browserify-zlib, with the `constants` object newer packages (axios 1.x) read.
'use strict';
const zlib = require('browserify-zlib');

const constants = {
  BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2, BROTLI_OPERATION_EMIT_METADATA: 3,
};
for (const key of Object.keys(zlib)) if (/^Z_/.test(key) && typeof zlib[key] === 'number') constants[key] = zlib[key];

module.exports = { ...zlib, constants };
