// A property key of tens of megabytes is internalized in one allocation V8 cannot fit: rather than
// the graceful out-of-memory of a growing heap, the isolate fails catastrophically and the call into
// it never returns.
module.exports = function (user, context, cb) {
  for (const mb of [20, 40, 80, 160]) ({ ['y'.repeat(mb << 20)]: mb });
  cb(null, { survived: true });
};
