// The peer accepts the request and never answers.
module.exports = function (user, context, cb) {
  fetch(user.cfg.url).then((res) => cb(null, { status: res.status }), cb);
};
