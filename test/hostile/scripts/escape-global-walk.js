// Walks every object reachable from globalThis and from the handler's arguments, looking for bridge objects.
module.exports = function (user, context, cb) {
  const seen = new Set();
  const suspicious = [];
  const queue = [[globalThis, 'globalThis'], [user, 'user'], [context, 'context'], [cb, 'cb'], [module, 'module']];
  const pattern = /^(ivm|_ivm|isolated.*|Isolate|Context|Reference|Dereference|ExternalCopy|Callback|NativeModule|postLog|entry|hookFactory|currentRun|binding|dlopen|mainModule)$/i;
  while (queue.length) {
    const [value, path] = queue.shift();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const name = String(key);
      if (pattern.test(name) || name === 'Buffer' || name === 'process' && path !== 'globalThis') suspicious.push(path + '.' + name);
      const d = Object.getOwnPropertyDescriptor(value, key);
      if (d && 'value' in d) queue.push([d.value, path + '.' + name]);
      if (d && d.get) queue.push([d.get, path + '.get ' + name]);
    }
    queue.push([Object.getPrototypeOf(value), path + '.__proto__']);
  }
  cb(null, { suspicious, objects: seen.size });
};
