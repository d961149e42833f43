// Every timer starts two more; the run fails once the per-run cap is reached.
module.exports = function (user, context, cb) {
  const fork = () => { setTimeout(fork, 0); setTimeout(fork, 0); };
  fork();
};
