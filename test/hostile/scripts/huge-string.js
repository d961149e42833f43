module.exports = function (user, context, cb) {
  const huge = 'x'.repeat(2 ** 30);
  cb(null, { length: huge.length });
};
