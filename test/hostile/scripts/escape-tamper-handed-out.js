// A response built to surprise the host: toJSON, getters, a proxy, __proto__ and constructor keys.
module.exports = function (user, context, cb) {
  let reads = 0;
  const proxy = new Proxy({}, {
    ownKeys() { reads++; return ['a', 'b']; },
    getOwnPropertyDescriptor() { return { value: reads, enumerable: true, configurable: true }; },
    get(target, key) { reads++; return key === 'toJSON' ? undefined : 'read ' + reads; },
  });
  const response = JSON.parse('{"__proto__": {"polluted": "via __proto__"}, "constructor": {"prototype": {"polluted": "via constructor"}}}');
  response.user = {
    app_metadata: JSON.parse('{"__proto__": {"isAdmin": true}, "plain": 1}'),
    user_metadata: { get sneaky() { return 'getter ran in the isolate'; } },
  };
  response.proxy = proxy;
  response.changing = { toJSON() { return { serializedBy: 'toJSON' }; } };
  cb(null, response);
};
