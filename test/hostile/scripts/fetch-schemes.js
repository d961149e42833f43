// Schemes other than http(s): files of the host, data, ftp, javascript, blob.
exports.handler = async (context) => {
  const targets = ['file://' + context.cfg.canaryFile, 'file:///etc/passwd', 'data:text/plain,hello', 'ftp://127.0.0.1/', 'javascript:alert(1)', 'blob:http://x/y', '//127.0.0.1/relative'];
  const results = [];
  for (const url of targets) {
    try {
      const res = await fetch(url);
      results.push({ url, reached: true, body: (await res.text()).slice(0, 200) });
    } catch (error) {
      results.push({ url, reached: false, message: error.message });
    }
  }
  return { success: true, user: { policy_id: 1 }, results };
};
