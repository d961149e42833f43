// Node's `crypto` as far as the sandbox can offer it: crypto-browserify (hashes, HMAC, ciphers,
// signatures) on the sandbox's getRandomValues, plus randomUUID and a KeyObject for secret keys,
// which jsonwebtoken 9 and jwa test for before they sign with HMAC.
'use strict';
const base = require('crypto-browserify');
const { Buffer } = require('buffer');

class KeyObject {
  constructor(type, material) {
    this.type = type;
    this._material = material;
    this.symmetricKeySize = type === 'secret' ? material.length : undefined;
    this.asymmetricKeyType = undefined;
  }
  export() { return Buffer.from(this._material); }
  equals(other) { return other instanceof KeyObject && Buffer.compare(this._material, other._material) === 0; }
}

function createSecretKey(key, encoding) {
  const material = typeof key === 'string' ? Buffer.from(key, encoding) : Buffer.from(key);
  return new KeyObject('secret', material);
}

function keyMaterial(key) {
  return key instanceof KeyObject ? key.export() : key;
}

function notSupported(name) {
  return function () {
    throw new Error('crypto.' + name + '() is not available in hooks: only PEM strings and buffers are accepted as asymmetric keys');
  };
}

function timingSafeEqual(a, b) {
  if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

module.exports = {
  ...base,
  createHmac(algorithm, key, options) { return base.createHmac(algorithm, keyMaterial(key), options); },
  randomUUID() { return globalThis.crypto.randomUUID(); },
  getRandomValues(array) { return globalThis.crypto.getRandomValues(array); },
  webcrypto: globalThis.crypto,
  KeyObject,
  createSecretKey,
  createPublicKey: notSupported('createPublicKey'),
  createPrivateKey: notSupported('createPrivateKey'),
  timingSafeEqual,
  constants: base.constants || {},
};
