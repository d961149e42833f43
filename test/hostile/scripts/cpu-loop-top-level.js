// Loops while the module loads, before any handler exists.
for (;;) {}
module.exports = function (user, context, cb) { cb(null, {}); };
