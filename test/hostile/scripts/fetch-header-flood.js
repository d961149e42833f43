// 200,000 request headers (each small), then a URL of megabytes: the request head must be refused
// in the isolate, before anything reaches the sandbox process's own thread.
exports.handler = async (context) => {
  const out = {};
  const headers = {};
  for (let i = 0; i < 200000; i++) headers['x-h' + i] = 'v';
  try { await fetch(context.cfg.url, { headers }); out.headers = 'sent'; } catch (e) { out.headers = e.message; }
  try { await fetch(context.cfg.url + '?' + 'q'.repeat(4 * 1024 * 1024)); out.url = 'sent'; } catch (e) { out.url = e.message; }
  try { await fetch(context.cfg.url, { headers: { 'x-big': 'v'.repeat(64 * 1024) } }); out.big = 'sent'; } catch (e) { out.big = e.message; }
  return { success: true, user: { policy_id: 1 }, out };
};
