exports.handler = async (context) => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  const hoard = [];
  for (;;) hoard.push('x'.repeat(1024) + hoard.length);
};
