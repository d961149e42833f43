// Answers long after the run's time is up.
module.exports = function (user, context, cb) {
  setTimeout(() => cb(null, { late: true }), 5000);
};
