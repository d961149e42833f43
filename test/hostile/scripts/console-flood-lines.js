module.exports = function (user, context, cb) {
  for (let i = 0; i < 200000; i++) console.log('line', i);
  cb(null, { logged: true });
};
