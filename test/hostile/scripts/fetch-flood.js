// Many fetches at once: the run's cap refuses the extra ones in the isolate.
exports.handler = async (context) => {
  const outcomes = await Promise.allSettled(Array.from({ length: 60 }, () => fetch(context.cfg.url).then((res) => res.status)));
  const refusals = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason.message);
  return { success: true, user: { policy_id: 1 }, fulfilled: outcomes.filter((o) => o.status === 'fulfilled').length, refusals: refusals.length, refusal: refusals[0] };
};
