// cb('string'), then every later call ignored: the first non-null error wins.
module.exports = function (user, context, cb) {
  cb('a plain string as the error');
  cb(Symbol('second'));
  cb(Object.create(null));
};
