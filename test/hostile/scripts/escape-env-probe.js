// Looks for the host's environment through process.env and everything that resembles it.
exports.handler = async (context) => {
  const out = {
    keys: Object.keys(process.env),
    names: Object.getOwnPropertyNames(process.env),
    canary: process.env.HOOKGATE_CANARY === undefined ? null : String(process.env.HOOKGATE_CANARY),
    path: process.env.PATH === undefined ? null : 'PATH visible',
    home: process.env.HOME === undefined ? null : 'HOME visible',
    processKeys: Object.getOwnPropertyNames(process),
  };
  try { process.env.INJECTED = 'x'; out.write = process.env.INJECTED === 'x' ? 'wrote' : 'ignored'; } catch (e) { out.write = 'threw ' + e.name; }
  try { Object.defineProperty(globalThis, 'process', { value: { env: { HOOKGATE_CANARY: 'fake' } } }); out.redefine = 'redefined'; } catch (e) { out.redefine = 'threw'; }
  return { success: true, user: { policy_id: 1 }, out };
};
