module.exports = function (user, context, cb) {
  console.log('waiting for nothing');
};
