// A thenable that takes the resolve function and never calls it.
exports.handler = (context) => ({ then() {} });
