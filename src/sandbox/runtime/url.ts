/**
 * URLSearchParams and a small URL class. Not a full WHATWG parser: it covers what hooks do with
 * URLs (absolute http(s) URLs, relative references against a base, reading and editing the query),
 * and rejects what it does not understand rather than guessing.
 */
import {
  append,
  ArrayPrototypeJoin,
  ObjectKeys,
  ReflectApply,
  RegExpPrototypeExec,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeReplace,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeToLowerCase,
  SymbolIterator,
  TypeErrorCtor,
} from './intrinsics.ts';

type Pair = [string, string];

function formEncode(text: string): string {
  return StringPrototypeReplace(encodeURIComponent(text), /%20/g, '+');
}

function formDecode(text: string): string {
  try { return decodeURIComponent(StringPrototypeReplace(text, /\+/g, ' ')); } catch { return text; }
}

/** Ties a URL's query to its searchParams (a URL's own hook into the private state, never exposed). */
let linkSearchParams: (params: URLSearchParams, text: string, onChange: (query: string) => void) => void;

export class URLSearchParams {
  #pairs: Pair[] = [];
  #onChange: ((query: string) => void) | null = null;
  constructor(init: unknown = '') {
    if (typeof init === 'string' || init instanceof String) {
      this.#parse(StringCtor(init));
    } else if (init !== null && typeof init === 'object') {
      const record = init as Record<PropertyKey, unknown>;
      if (typeof record[SymbolIterator] === 'function') {
        for (const pair of init as Iterable<[unknown, unknown]>) {
          const [name, value] = pair;
          append(this.#pairs, [StringCtor(name), StringCtor(value)]);
        }
      } else {
        const keys = ObjectKeys(record);
        for (let i = 0; i < keys.length; i++) append(this.#pairs, [keys[i], StringCtor(record[keys[i]])]);
      }
    }
  }
  #parse(text: string) {
    this.#pairs = [];
    if (text[0] === '?') text = StringPrototypeSlice(text, 1);
    if (text === '') return;
    const parts = StringPrototypeSplit(text, '&');
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === '') continue;
      const eq = StringPrototypeIndexOf(parts[i], '=');
      const name = eq === -1 ? parts[i] : StringPrototypeSlice(parts[i], 0, eq);
      const value = eq === -1 ? '' : StringPrototypeSlice(parts[i], eq + 1);
      append(this.#pairs, [formDecode(name), formDecode(value)]);
    }
  }
  static {
    linkSearchParams = (params, text, onChange) => { params.#parse(text); params.#onChange = onChange; };
  }
  #changed() { if (this.#onChange) this.#onChange(this.toString()); }
  get size() { return this.#pairs.length; }
  append(name: unknown, value: unknown) { append(this.#pairs, [StringCtor(name), StringCtor(value)]); this.#changed(); }
  delete(name: unknown) { const key = StringCtor(name); this.#pairs = this.#pairs.filter((p) => p[0] !== key); this.#changed(); }
  get(name: unknown) { const key = StringCtor(name); for (const p of this.#pairs) if (p[0] === key) return p[1]; return null; }
  getAll(name: unknown) { const key = StringCtor(name); return this.#pairs.filter((p) => p[0] === key).map((p) => p[1]); }
  has(name: unknown) { return this.get(name) !== null; }
  set(name: unknown, value: unknown) {
    const key = StringCtor(name);
    const index = this.#pairs.findIndex((p) => p[0] === key);
    if (index === -1) append(this.#pairs, [key, StringCtor(value)]);
    else this.#pairs = this.#pairs.filter((p, i) => i === index || p[0] !== key).map((p): Pair => (p[0] === key ? [key, StringCtor(value)] : p));
    this.#changed();
  }
  sort() { this.#pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this.#changed(); }
  forEach(fn: (value: string, name: string, params: URLSearchParams) => void, thisArg?: unknown) { for (const [k, v] of this.#pairs) ReflectApply(fn, thisArg, [v, k, this]); }
  *entries(): Generator<Pair> { for (const p of this.#pairs) yield [p[0], p[1]]; }
  *keys(): Generator<string> { for (const p of this.#pairs) yield p[0]; }
  *values(): Generator<string> { for (const p of this.#pairs) yield p[1]; }
  [SymbolIterator]() { return this.entries(); }
  toString() { return this.#pairs.map((p) => formEncode(p[0]) + '=' + formEncode(p[1])).join('&'); }
}

const URL_PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/(?:([^:@\/?#]*)(?::([^@\/?#]*))?@)?(\[[0-9a-fA-F:.]+\]|[^:\/?#]*)(?::([0-9]*))?)?([^?#]*)(\?[^#]*)?(#.*)?$/;
// TypeScript reads `__proto__: null` in a literal as a property, not as the prototype it sets.
const DEFAULT_PORTS = { __proto__: null, 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21' } as unknown as Readonly<Record<string, string>>;

function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = StringPrototypeSplit(path, '/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === '..') { if (out.length > 1) out.length--; if (i === segments.length - 1) append(out, ''); }
    else if (s === '.') { if (i === segments.length - 1) append(out, ''); }
    else append(out, s);
  }
  const joined = ArrayPrototypeJoin(out, '/');
  return joined[0] === '/' ? joined : '/' + joined;
}

// The classes hook code sees never name themselves inside their bodies: a bundler then renames the
// class (`var URL = class _URL`) and hooks would see `URL.name === '_URL'`. Helpers outside do it.
export class URL {
  #protocol: string; #username: string; #password: string; #hostname: string; #port: string;
  #pathname: string; #search: string; #hash: string; #searchParams: URLSearchParams;
  constructor(input: unknown, base?: unknown) {
    let text = StringPrototypeReplace(StringCtor(input), /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
    let match = RegExpPrototypeExec(URL_PATTERN, text);
    if (!match && base !== undefined) {
      const b = isURL(base) ? base : parseURL(base);
      if (text[0] === '/' && text[1] === '/') match = RegExpPrototypeExec(URL_PATTERN, b.protocol + text);
      else {
        let resolved = b.protocol + '//' + (b.username ? b.username + (b.password ? ':' + b.password : '') + '@' : '') + b.host;
        if (text === '') resolved += b.pathname + b.search;
        else if (text[0] === '/') resolved += text;
        else if (text[0] === '?') resolved += b.pathname + text;
        else if (text[0] === '#') resolved += b.pathname + b.search + text;
        else resolved += StringPrototypeSlice(b.pathname, 0, b.pathname.lastIndexOf('/') + 1) + text;
        match = RegExpPrototypeExec(URL_PATTERN, resolved);
      }
    }
    if (!match) throw new TypeErrorCtor('Invalid URL: ' + text);
    this.#protocol = StringPrototypeToLowerCase(match[1]) + ':';
    const special = this.#protocol in DEFAULT_PORTS;
    if (special && !match[4]) throw new TypeErrorCtor('Invalid URL: ' + text);
    this.#username = match[2] || '';
    this.#password = match[3] || '';
    this.#hostname = StringPrototypeToLowerCase(match[4] || '');
    this.#port = match[5] && DEFAULT_PORTS[this.#protocol] !== match[5] ? match[5] : '';
    this.#pathname = special ? removeDotSegments(match[6] || '/') : match[6] || '';
    this.#pathname = StringPrototypeReplace(this.#pathname, /[ "<>\x60{}]/g, (c) => '%' + StringPrototypeCharCodeAt(c, 0).toString(16).toUpperCase());
    this.#search = match[7] && match[7] !== '?' ? StringPrototypeReplace(match[7], / /g, '%20') : '';
    this.#hash = match[8] && match[8] !== '#' ? StringPrototypeReplace(match[8], / /g, '%20') : '';
    this.#searchParams = new URLSearchParams();
    linkSearchParams(this.#searchParams, this.#search, (query) => { this.#search = query ? '?' + query : ''; });
  }
  get protocol() { return this.#protocol; }
  get username() { return this.#username; }
  get password() { return this.#password; }
  get hostname() { return this.#hostname; }
  get port() { return this.#port; }
  get host() { return this.#hostname + (this.#port ? ':' + this.#port : ''); }
  get origin() { return this.#protocol in DEFAULT_PORTS && this.#protocol !== 'ftp:' ? this.#protocol + '//' + this.host : 'null'; }
  get pathname(): string { return this.#pathname; }
  set pathname(value: unknown) { this.#pathname = removeDotSegments(StringCtor(value)); }
  get search(): string { return this.#search; }
  set search(value: unknown) {
    const text = StringCtor(value);
    this.#search = text === '' || text === '?' ? '' : text[0] === '?' ? text : '?' + text;
    linkSearchParams(this.#searchParams, this.#search, (query) => { this.#search = query ? '?' + query : ''; });
  }
  get hash(): string { return this.#hash; }
  set hash(value: unknown) { const text = StringCtor(value); this.#hash = text === '' || text === '#' ? '' : text[0] === '#' ? text : '#' + text; }
  get searchParams() { return this.#searchParams; }
  get href() {
    const auth = this.#username ? this.#username + (this.#password ? ':' + this.#password : '') + '@' : '';
    const authority = this.#hostname || this.#protocol in DEFAULT_PORTS ? '//' + auth + this.host : '';
    return this.#protocol + authority + this.#pathname + this.#search + this.#hash;
  }
  toString() { return this.href; }
  toJSON() { return this.href; }
  static canParse(input: unknown, base?: unknown) { try { parseURL(input, base); return true; } catch { return false; } }
}

function isURL(value: unknown): value is URL {
  return value instanceof URL;
}

function parseURL(input: unknown, base?: unknown): URL {
  return new URL(input, base);
}
