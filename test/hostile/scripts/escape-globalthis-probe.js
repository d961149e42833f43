// Lists everything the global object holds, enumerable or not, and the own keys of what the runtime installed.
module.exports = function (user, context, cb) {
  const names = Reflect.ownKeys(globalThis).map(String).sort();
  const installed = {};
  for (const name of ['console', 'process', 'crypto', 'fetch', 'setTimeout', 'require']) {
    const value = globalThis[name];
    installed[name] = value === null || value === undefined ? null : Reflect.ownKeys(value).map(String).sort();
  }
  cb(null, { names, installed, processEnvKeys: Object.keys(process.env) });
};
