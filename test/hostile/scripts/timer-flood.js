// Creates timers until the runtime refuses, then reports how far it got.
module.exports = function (user, context, cb) {
  let created = 0;
  let refusal = null;
  try {
    for (let i = 0; i < 1e6; i++) { setTimeout(() => {}, 60_000); created++; }
  } catch (error) {
    refusal = error.name + ': ' + error.message;
  }
  cb(null, { created, refusal });
};
