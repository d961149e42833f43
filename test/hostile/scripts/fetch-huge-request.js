// A request body far past the cap, and request headers that try to smuggle a second request.
exports.handler = async (context) => {
  const out = {};
  try { await fetch(context.cfg.url, { method: 'POST', body: 'b'.repeat(8 * 1024 * 1024) }); out.body = 'sent'; } catch (e) { out.body = e.message; }
  try { await fetch(context.cfg.url, { headers: { 'x-a': 'v\r\nHost: 10.0.0.1\r\n\r\nGET / HTTP/1.1' } }); out.header = 'sent'; } catch (e) { out.header = e.message; }
  try { await fetch(context.cfg.url, { method: 'GET\r\nX: y' }); out.method = 'sent'; } catch (e) { out.method = e.message; }
  return { success: true, user: { policy_id: 1 }, out };
};
