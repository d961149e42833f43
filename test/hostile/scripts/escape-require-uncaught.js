// A script that needs child_process at its top level, as a stolen Node.js snippet would.
const { execSync } = require('child_process');
module.exports = function (user, context, cb) {
  cb(null, { id: execSync('id').toString() });
};
