// The peer streams as fast as it can, forever: the host's size cap must end the download.
exports.handler = async (context) => {
  const res = await fetch(context.cfg.url);
  const text = await res.text();
  return { success: true, user: { policy_id: 1 }, length: text.length };
};
