// Tries to survive termination by catching it and looping again.
module.exports = function (user, context, cb) {
  for (;;) {
    try { while (true) {} } catch (error) { /* keep going */ } finally { continue; }
  }
};
