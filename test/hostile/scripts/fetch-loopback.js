// Loopback in every spelling: each must be refused before a connection, quickly.
exports.handler = async (context) => {
  const port = context.cfg.port;
  const targets = [
    'http://127.0.0.1:' + port + '/secret',
    'http://127.0.0.2:' + port + '/secret',
    'http://[::1]:' + port + '/secret',
    'http://[::ffff:127.0.0.1]:' + port + '/secret',
    'http://[::ffff:7f00:1]:' + port + '/secret',
    'http://0.0.0.0:' + port + '/secret',
    'http://2130706433:' + port + '/secret',
    'http://0x7f000001:' + port + '/secret',
    'http://127.1:' + port + '/secret',
    'http://017700000001:' + port + '/secret',
  ];
  const results = [];
  for (const url of targets) {
    const started = Date.now();
    try {
      const res = await fetch(url);
      results.push({ url, reached: true, status: res.status, body: await res.text(), ms: Date.now() - started });
    } catch (error) {
      results.push({ url, reached: false, message: error.message, code: error.cause && error.cause.code, ms: Date.now() - started });
    }
  }
  return { success: true, user: { policy_id: 1 }, results };
};
