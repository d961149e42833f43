module.exports = function (user, context, cb) {
  const error = new Error('m'.repeat(5 * 1024 * 1024));
  error.name = 'N'.repeat(1024 * 1024);
  error.userMessage = 'u'.repeat(1024 * 1024);
  cb(error);
};
