// The peer sends headers at once, then a byte now and then, forever.
exports.handler = async (context) => {
  const res = await fetch(context.cfg.url);
  const text = await res.text();
  return { success: true, user: { policy_id: 1 }, length: text.length };
};
