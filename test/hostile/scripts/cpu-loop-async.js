exports.handler = async (context) => {
  await null;
  await new Promise((resolve) => setTimeout(resolve, 10));
  for (;;) {}
};
