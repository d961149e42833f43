module.exports = function (user, context, cb) {
  cb(null, { user: { app_metadata: { big: 2n ** 64n } } });
};
