/**
 * The hook's `crypto`: randomness from a ChaCha20 keystream keyed with 32 bytes from the host's
 * CSPRNG per context (`Op.init` hands the seed in); V8 alone has no crypto object.
 */
import { ArrayBufferIsView, NumberCtor, ObjectFreeze, ObjectPrototypeToString, RangeErrorCtor, StringPrototypeSlice, TypeErrorCtor, Uint8ArrayCtor } from './intrinsics.ts';

const chacha = { key: new Uint32Array(8), counter: 0, block: new Uint32Array(16), offset: 64 };

export function seedRandom(hex: string): void {
  for (let i = 0; i < 8; i++) chacha.key[i] = NumberCtor('0x' + StringPrototypeSlice(hex, i * 8, i * 8 + 8)) >>> 0;
}

function quarterRound(x: Uint32Array, a: number, b: number, c: number, d: number): void {
  x[a] = (x[a] + x[b]) >>> 0; x[d] ^= x[a]; x[d] = (x[d] << 16) | (x[d] >>> 16);
  x[c] = (x[c] + x[d]) >>> 0; x[b] ^= x[c]; x[b] = (x[b] << 12) | (x[b] >>> 20);
  x[a] = (x[a] + x[b]) >>> 0; x[d] ^= x[a]; x[d] = (x[d] << 8) | (x[d] >>> 24);
  x[c] = (x[c] + x[d]) >>> 0; x[b] ^= x[c]; x[b] = (x[b] << 7) | (x[b] >>> 25);
}

function nextBlock(): void {
  const input = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, ...chacha.key, chacha.counter++, 0, 0, 0]);
  const x = new Uint32Array(input);
  for (let round = 0; round < 10; round++) {
    quarterRound(x, 0, 4, 8, 12); quarterRound(x, 1, 5, 9, 13); quarterRound(x, 2, 6, 10, 14); quarterRound(x, 3, 7, 11, 15);
    quarterRound(x, 0, 5, 10, 15); quarterRound(x, 1, 6, 11, 12); quarterRound(x, 2, 7, 8, 13); quarterRound(x, 3, 4, 9, 14);
  }
  for (let i = 0; i < 16; i++) chacha.block[i] = (x[i] + input[i]) >>> 0;
  chacha.offset = 0;
}

function randomByte(): number {
  if (chacha.offset >= 64) nextBlock();
  const word = chacha.block[chacha.offset >> 2];
  const byte = (word >>> ((chacha.offset & 3) * 8)) & 255;
  chacha.offset++;
  return byte;
}

export const crypto = ObjectFreeze({
  getRandomValues<T>(array: T): T {
    if (!ArrayBufferIsView(array) || ObjectPrototypeToString(array) === '[object DataView]') {
      throw new TypeErrorCtor('crypto.getRandomValues expects an integer TypedArray');
    }
    if (array.byteLength > 65536) throw new RangeErrorCtor('crypto.getRandomValues accepts at most 65536 bytes');
    const bytes = new Uint8ArrayCtor(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = randomByte();
    return array;
  },
  randomUUID(): string {
    let out = '';
    for (let i = 0; i < 16; i++) {
      let byte = randomByte();
      if (i === 6) byte = (byte & 0x0f) | 0x40;
      if (i === 8) byte = (byte & 0x3f) | 0x80;
      out += (byte < 16 ? '0' : '') + byte.toString(16);
      if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
    }
    return out;
  },
});
