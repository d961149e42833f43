module.exports = function (user, context, cb) {
  cb(null, { user: { app_metadata: { blob: 'x'.repeat(8 * 1024 * 1024) } } });
};
