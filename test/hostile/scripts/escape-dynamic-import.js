// import() of Node built-ins, of a host file and of a data: module.
exports.handler = async (context) => {
  const results = {};
  const specifiers = ['fs', 'node:child_process', 'file://' + context.cfg.canaryFile, 'data:text/javascript,export default process.env'];
  for (const specifier of specifiers) {
    try {
      const module = await import(specifier);
      results[specifier] = { loaded: true, keys: Object.keys(module) };
    } catch (error) {
      results[specifier] = { loaded: false, name: error && error.name, message: String(error && error.message).slice(0, 200) };
    }
  }
  return { success: true, user: { policy_id: 1 }, results };
};
