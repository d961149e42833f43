module.exports = function (user, context, cb) {
  const big = 'y'.repeat(16 * 1024 * 1024);
  for (let i = 0; i < 50; i++) console.error(big, i, [big], { big });
  cb(null, { logged: true });
};
