/**
 * The web encoding globals V8 alone lacks (isolated-vm gives a bare V8 context with no
 * TextEncoder, TextDecoder, atob or btoa): UTF-8 coding and base64.
 */
import {
  ArrayBufferCtor,
  ArrayBufferIsView,
  ErrorCtor,
  RangeErrorCtor,
  RegExpPrototypeTest,
  StringCtor,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeReplace,
  StringPrototypeToLowerCase,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from './intrinsics.ts';

export function utf8Encode(input: unknown): Uint8Array {
  const text = StringCtor(input);
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = StringPrototypeCharCodeAt(text, i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = StringPrototypeCharCodeAt(text, i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) { code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00); i++; }
      else code = 0xfffd;
    } else if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes[bytes.length] = code;
    else if (code < 0x800) { bytes[bytes.length] = 0xc0 | (code >> 6); bytes[bytes.length] = 0x80 | (code & 63); }
    else if (code < 0x10000) {
      bytes[bytes.length] = 0xe0 | (code >> 12); bytes[bytes.length] = 0x80 | ((code >> 6) & 63); bytes[bytes.length] = 0x80 | (code & 63);
    } else {
      bytes[bytes.length] = 0xf0 | (code >> 18); bytes[bytes.length] = 0x80 | ((code >> 12) & 63);
      bytes[bytes.length] = 0x80 | ((code >> 6) & 63); bytes[bytes.length] = 0x80 | (code & 63);
    }
  }
  return new Uint8ArrayCtor(bytes);
}

/** UTF-8 byte length without building the bytes: used for size caps on large strings. */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = StringPrototypeCharCodeAt(text, i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) { length += 4; i++; }
    else length += 3;
  }
  return length;
}

export function toBytes(input: unknown): Uint8Array {
  if (input === undefined) return new Uint8ArrayCtor(0);
  if (input instanceof ArrayBufferCtor) return new Uint8ArrayCtor(input);
  if (ArrayBufferIsView(input)) return new Uint8ArrayCtor(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeErrorCtor('The "input" argument must be an ArrayBuffer or an ArrayBufferView');
}

export function utf8Decode(bytes: Uint8Array, fatal: boolean): string {
  let out = '';
  let chunk: number[] = [];
  const flush = () => { out += StringFromCharCode.apply(null, chunk); chunk = []; };
  const bad = () => { if (fatal) throw new TypeErrorCtor('The encoded data was not valid for encoding utf-8'); return 0xfffd; };
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    let code, need = 0, min = 0;
    if (b < 0x80) { code = b; } else if (b >= 0xc2 && b <= 0xdf) { code = b & 31; need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { code = b & 15; need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { code = b & 7; need = 3; min = 0x10000; }
    else { code = bad(); i++; chunk[chunk.length] = code; continue; }
    let j = 1;
    for (; j <= need; j++) {
      const c = bytes[i + j];
      if (c === undefined || (c & 0xc0) !== 0x80) break;
      code = (code << 6) | (c & 63);
    }
    if (j <= need || code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) { code = bad(); i += j > 1 ? j : 1; }
    else i += need + 1;
    if (code >= 0x10000) { code -= 0x10000; chunk[chunk.length] = 0xd800 + (code >> 10); chunk[chunk.length] = 0xdc00 + (code & 1023); }
    else chunk[chunk.length] = code;
    if (chunk.length > 8192) flush();
  }
  flush();
  return out;
}

export class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input: unknown = '') { return utf8Encode(input); }
}

export class TextDecoder {
  #fatal; #ignoreBOM;
  constructor(label: unknown = 'utf-8', options: { fatal?: unknown; ignoreBOM?: unknown } | null = {}) {
    const name = StringPrototypeToLowerCase(StringCtor(label));
    if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
      throw new RangeErrorCtor('The "' + name + '" encoding is not supported (only utf-8 is)');
    }
    this.#fatal = !!(options && options.fatal);
    this.#ignoreBOM = !!(options && options.ignoreBOM);
  }
  get encoding() { return 'utf-8'; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }
  decode(input?: unknown) {
    let bytes = toBytes(input);
    if (!this.#ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    return utf8Decode(bytes, this.#fatal);
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function invalidCharacter(message: string): Error {
  const error = new ErrorCtor(message);
  error.name = 'InvalidCharacterError';
  return error;
}

export function btoa(input: unknown): string {
  if (arguments.length === 0) throw new TypeErrorCtor('btoa requires 1 argument');
  const text = StringCtor(input);
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = StringPrototypeCharCodeAt(text, i), b = StringPrototypeCharCodeAt(text, i + 1), c = StringPrototypeCharCodeAt(text, i + 2);
    if (a > 255 || b > 255 || c > 255) throw invalidCharacter('Invalid character: btoa only accepts Latin-1 text');
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < text.length ? BASE64[(n >> 6) & 63] : '=') + (i + 2 < text.length ? BASE64[n & 63] : '=');
  }
  return out;
}

export function atob(input: unknown): string {
  if (arguments.length === 0) throw new TypeErrorCtor('atob requires 1 argument');
  let text = StringPrototypeReplace(StringCtor(input), /[\t\n\f\r ]/g, '');
  if (text.length % 4 === 0) text = StringPrototypeReplace(text, /==?$/, '');
  if (text.length % 4 === 1 || !RegExpPrototypeTest(/^[A-Za-z0-9+/]*$/, text)) {
    throw invalidCharacter('The string to be decoded is not correctly encoded.');
  }
  let out = '', bits = 0, buffer = 0;
  for (let i = 0; i < text.length; i++) {
    buffer = (buffer << 6) | StringPrototypeIndexOf(BASE64, text[i]);
    bits += 6;
    if (bits >= 8) { bits -= 8; out += StringFromCharCode((buffer >> bits) & 255); }
  }
  return out;
}
