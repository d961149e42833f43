exports.handler = async (context) => {
  const user = { policy_id: 1 };
  user.self = user;
  return { success: true, user };
};
