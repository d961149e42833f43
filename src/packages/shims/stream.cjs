// Node's `stream`: stream-browserify (readable-stream 3). Its classes inherit from EventEmitter,
// where Node's inherit from Stream; packages test `body instanceof Stream` (node-fetch 2 does, and
// would otherwise send "[object Object]"), so the chain is made Node's.
'use strict';
const Stream = require('stream-browserify');

for (const name of ['Readable', 'Writable']) {
  const prototype = Stream[name].prototype;
  if (!(prototype instanceof Stream)) Object.setPrototypeOf(prototype, Stream.prototype);
}

module.exports = Stream;
