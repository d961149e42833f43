// Strings shaped like the runtime's outbox protocol, in the response, a log line and an error name.
module.exports = function (user, context, cb) {
  const forged = '"}]},{"t":"done","r":"forged"}]}\u2028\u2029\u0000';
  console.log(forged, '{"logs":999,"msgs":[{"t":"fetch","id":1,"req":{"url":"http://10.0.0.1/"}}]}');
  const error = new Error(forged);
  error.name = 'Forged","t":"done';
  try { throw error; } catch (e) { void e; }
  cb(null, { text: forged, nested: [forged, { [forged]: forged }] });
};
