module.exports = function (user, context, cb) {
  cb(null, { user: { app_metadata: { call: 'first' } } });
  cb(null, { user: { app_metadata: { call: 'second' } } });
  setTimeout(() => cb(new Error('third, from a timer')), 5);
};
