// Node's `crypto` as far as the sandbox can offer it: crypto-browserify (hashes, HMAC, ciphers,
// signatures) on the sandbox's getRandomValues, plus randomUUID and KeyObjects for secret and PEM
// keys, which jsonwebtoken 9 and jwa make before they sign (HS*, RS*, ES*).
'use strict';
const base = require('crypto-browserify');
const { Buffer } = require('buffer');

class KeyObject {
  constructor(type, material, passphrase) {
    this.type = type;
    this._material = material;
    this.symmetricKeySize = type === 'secret' ? material.length : undefined;
    // PEM keys: `key` and `passphrase` are what browserify-sign reads from a key object.
    if (type !== 'secret') {
      this.key = material;
      this.passphrase = passphrase;
      const details = keyDetails(material);
      this.asymmetricKeyType = details.type;
      this.asymmetricKeyDetails = details.namedCurve ? { namedCurve: details.namedCurve } : {};
    }
  }
  export(options) {
    if (this.type === 'secret') return Buffer.from(this._material);
    return options && options.format === 'der' ? Buffer.from(this._material.replace(/-----[^-]+-----|\s+/g, ''), 'base64') : this._material;
  }
  equals(other) { return other instanceof KeyObject && String(other._material) === String(this._material); }
}

// Object identifiers as they appear in a key's DER: the algorithm, and an EC key's curve.
const KEY_TYPES = [['2a864886f70d010101', 'rsa'], ['2a8648ce3d0201', 'ec'], ['2b6570', 'ed25519']];
const CURVES = [['2a8648ce3d030107', 'prime256v1'], ['2b81040022', 'secp384r1'], ['2b81040023', 'secp521r1'], ['2b8104000a', 'secp256k1']];

/** What jsonwebtoken and jwa read of a KeyObject: its type (`rsa`, `ec`) and an EC key's curve. */
function keyDetails(pem) {
  const header = /-----BEGIN (RSA|EC) (PRIVATE|PUBLIC) KEY-----/.exec(pem);
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64').toString('hex');
  const typed = KEY_TYPES.find(([oid]) => der.includes(oid));
  const curve = CURVES.find(([oid]) => der.includes(oid));
  return { type: header ? header[1].toLowerCase() : typed ? typed[1] : undefined, namedCurve: curve ? curve[1] : undefined };
}

/** A PEM key (a string, a buffer or `{key, passphrase}`) as a KeyObject, for browserify-sign. */
function pemKey(input, type, marker) {
  const source = input !== null && typeof input === 'object' && !Buffer.isBuffer(input) && !(input instanceof Uint8Array) ? input : { key: input };
  if (source instanceof KeyObject) return source;
  const pem = typeof source.key === 'string' ? source.key : Buffer.isBuffer(source.key) || source.key instanceof Uint8Array ? Buffer.from(source.key).toString('utf8') : null;
  if (pem === null || !marker.test(pem)) {
    throw new TypeError('crypto.create' + (type === 'private' ? 'Private' : 'Public') + 'Key(): only PEM keys are available in hooks');
  }
  return new KeyObject(type, pem, source.passphrase);
}

function createSecretKey(key, encoding) {
  const material = typeof key === 'string' ? Buffer.from(key, encoding) : Buffer.from(key);
  return new KeyObject('secret', material);
}

function keyMaterial(key) {
  return key instanceof KeyObject ? key.export() : key;
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
  createPublicKey: (key) => pemKey(key, 'public', /-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/),
  createPrivateKey: (key) => pemKey(key, 'private', /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/),
  timingSafeEqual,
  constants: base.constants || {},
};
