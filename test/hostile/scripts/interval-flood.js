// A hundred 1 ms intervals and no answer: the host must not drown in deliveries.
module.exports = function (user, context, cb) {
  let ticks = 0;
  for (let i = 0; i < 100; i++) setInterval(() => { ticks++; }, 1);
};
