// Cloud metadata, RFC 1918, CGNAT, link-local, unique-local, multicast: refused without a connection.
exports.handler = async (context) => {
  const targets = [
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://10.0.0.1/',
    'http://172.16.0.1:8080/',
    'http://192.168.1.1/admin',
    'http://100.64.0.1/',
    'http://[fe80::1]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'https://10.0.0.1:443/',
  ];
  const results = await Promise.all(targets.map(async (url) => {
    const started = Date.now();
    try {
      const res = await fetch(url, { method: 'POST', body: 'exfiltrate' });
      return { url, reached: true, status: res.status, ms: Date.now() - started };
    } catch (error) {
      return { url, reached: false, message: error.message, code: error.cause && error.cause.code, ms: Date.now() - started };
    }
  }));
  return { success: true, user: { policy_id: 1 }, results };
};
