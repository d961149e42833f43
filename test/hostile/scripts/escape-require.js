// Tries every road to Node's module system and to the host's files.
module.exports = function (user, context, cb) {
  const attempts = {};
  const attempt = (label, fn) => {
    try {
      const value = fn();
      attempts[label] = { ok: true, type: typeof value, text: String(value).slice(0, 200) };
    } catch (error) {
      attempts[label] = { ok: false, code: error && error.code, message: String(error && error.message).slice(0, 300) };
    }
  };
  const file = user.cfg.canaryFile;
  attempt('fs', () => require('fs').readFileSync(file, 'utf8'));
  attempt('node:fs', () => require('node:fs').readFileSync(file, 'utf8'));
  attempt('child_process', () => require('child_process').execSync('cat ' + file).toString());
  attempt('absolute', () => require(file));
  attempt('module.require', () => module.require('fs'));
  attempt('module.constructor._load', () => module.constructor._load('fs'));
  attempt('require.main', () => require.main.require('fs'));
  attempt('require.cache', () => Object.keys(require.cache));
  attempt('require.resolve', () => require.resolve('fs'));
  attempt('process.mainModule', () => process.mainModule.require('fs'));
  attempt('process.binding', () => process.binding('fs'));
  attempt('module.paths', () => module.paths.join(','));
  attempt('__filename', () => __filename + ' ' + __dirname);
  cb(null, attempts);
};
