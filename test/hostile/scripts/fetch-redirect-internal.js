// An allowed peer answers with redirects to loopback, cloud metadata and a private address.
exports.handler = async (context) => {
  const results = [];
  for (const target of context.cfg.redirects) {
    const started = Date.now();
    try {
      const res = await fetch(target);
      results.push({ target, reached: true, status: res.status, url: res.url, body: (await res.text()).slice(0, 200), ms: Date.now() - started });
    } catch (error) {
      results.push({ target, reached: false, message: error.message, code: error.cause && error.cause.code, ms: Date.now() - started });
    }
  }
  return { success: true, user: { policy_id: 1 }, results };
};
