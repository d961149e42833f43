/**
 * In-isolate source: `fetch`, `Headers` and a Response-like object. The request leaves the isolate
 * as a JSON message in the run's outbox; the host performs it (with its own address checks, time
 * and size bounds) and delivers the outcome back as JSON. Nothing host-side is ever reachable.
 */
import { Out } from '../runtime-protocol.ts';

export const fetchApiSource = String.raw`
class Headers {
  #map = new MapCtor();
  constructor(init) {
    if (init === undefined || init === null) return;
    if (init instanceof Headers) { init.forEach((value, name) => this.append(name, value)); return; }
    if (typeof init[SymbolIterator] === 'function') { for (const [name, value] of init) this.append(name, value); return; }
    const keys = ObjectKeys(init);
    for (let i = 0; i < keys.length; i++) this.append(keys[i], init[keys[i]]);
  }
  #key(name) {
    const key = StringPrototypeToLowerCase(StringCtor(name));
    if (!RegExpPrototypeTest(/^[!#$%&'*+.^_|~0-9a-z\x60-]+$/, key)) throw new TypeErrorCtor('Invalid header name: ' + name);
    return key;
  }
  append(name, value) {
    const key = this.#key(name);
    const text = StringCtor(value);
    const previous = MapPrototypeGet(this.#map, key);
    MapPrototypeSet(this.#map, key, previous === undefined ? text : previous + ', ' + text);
  }
  set(name, value) { MapPrototypeSet(this.#map, this.#key(name), StringCtor(value)); }
  get(name) { const value = MapPrototypeGet(this.#map, this.#key(name)); return value === undefined ? null : value; }
  has(name) { return MapPrototypeHas(this.#map, this.#key(name)); }
  delete(name) { MapPrototypeDelete(this.#map, this.#key(name)); }
  forEach(fn, thisArg) { for (const [k, v] of this.entries()) ReflectApply(fn, thisArg, [v, k, this]); }
  *entries() { const keys = [...this.#map.keys()].sort(); for (const k of keys) yield [k, MapPrototypeGet(this.#map, k)]; }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [SymbolIterator]() { return this.entries(); }
}

class Response {
  #body; #used = false;
  constructor(body, init) {
    this.#body = body === undefined || body === null ? '' : StringCtor(body);
    const options = init || {};
    this.status = options.status === undefined ? 200 : NumberCtor(options.status);
    this.statusText = options.statusText === undefined ? '' : StringCtor(options.statusText);
    this.headers = new Headers(options.headers);
    this.ok = this.status >= 200 && this.status < 300;
    this.url = options.url || '';
    this.redirected = !!options.redirected;
    this.type = 'basic';
  }
  get bodyUsed() { return this.#used; }
  #consume() {
    if (this.#used) return PromiseCtor.reject(new TypeErrorCtor('Body is unusable: Body has already been read'));
    this.#used = true;
    return PromiseResolve(this.#body);
  }
  text() { return this.#consume(); }
  json() { return PromisePrototypeThen(this.#consume(), (text) => JSONParse(text)); }
  arrayBuffer() { return PromisePrototypeThen(this.#consume(), (text) => utf8Encode(text).buffer); }
  clone() {
    if (this.#used) throw new TypeErrorCtor('Response.clone: Body has already been consumed.');
    return new Response(this.#body, { status: this.status, statusText: this.statusText, headers: this.headers, url: this.url, redirected: this.redirected });
  }
}

function requestBody(body) {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBufferCtor || ArrayBufferIsView(body)) return utf8Decode(toBytes(body), false);
  return StringCtor(body);
}

function fetch(input, init) {
  const run = currentRun;
  return new PromiseCtor((resolve, reject) => {
    // A settled run may still fetch: the host lets such requests finish within the run's timeout.
    if (run === null) throw new TypeErrorCtor('fetch failed: the run has ended');
    const options = init || {};
    const url = input instanceof URL ? input.href : typeof input === 'object' && input !== null && 'url' in input ? StringCtor(input.url) : StringCtor(input);
    const method = StringPrototypeToLowerCase(StringCtor(options.method || (input && input.method) || 'GET')).toUpperCase();
    // Bounded here, before anything leaves the isolate: the host parses and sends what it gets.
    if (url.length > limits.maxFetchHeadBytes) throw new TypeErrorCtor('fetch failed: a URL may be at most ' + limits.maxFetchHeadBytes + ' characters');
    const headers = [];
    let headBytes = url.length;
    const headersInit = options.headers || (input && input.headers);
    // A plain object is counted before it is copied: copying 500,000 headers would cost seconds.
    if (headersInit !== null && typeof headersInit === 'object' && !(headersInit instanceof Headers) && typeof headersInit[SymbolIterator] !== 'function' && ObjectKeys(headersInit).length > limits.maxFetchHeaders) {
      throw new TypeErrorCtor('fetch failed: a request may carry at most ' + limits.maxFetchHeaders + ' headers');
    }
    new Headers(headersInit).forEach((value, name) => {
      if (headers.length >= limits.maxFetchHeaders) throw new TypeErrorCtor('fetch failed: a request may carry at most ' + limits.maxFetchHeaders + ' headers');
      headBytes += name.length + value.length;
      if (headBytes > limits.maxFetchHeadBytes) throw new TypeErrorCtor('fetch failed: the URL and headers of a request may be at most ' + limits.maxFetchHeadBytes + ' characters');
      append(headers, [name, value]);
    });
    const body = requestBody(options.body);
    if (body !== null && (method === 'GET' || method === 'HEAD')) throw new TypeErrorCtor('Request with GET/HEAD method cannot have body.');
    if (body !== null && body.length > limits.maxFetchBodyBytes) throw new TypeErrorCtor('fetch failed: a request body may be at most ' + limits.maxFetchBodyBytes + ' bytes');
    if (run.fetchCount >= limits.maxFetches) throw new TypeErrorCtor('fetch failed: a run may start at most ' + limits.maxFetches + ' fetches');
    run.fetchCount++;
    const id = ++sequence;
    if (run.fetches === null) run.fetches = ObjectCreate(null);
    run.fetches[id] = { __proto__: null, resolve, reject };
    send('{"t":"${Out.fetch}","id":' + id + ',"req":' + JSONStringify({ url, method, headers, body }) + '}');
  });
}

// The host's answer to a fetch: a response, or the reason it failed.
function deliverFetch(run, id, outcomeJson) {
  const pending = run.fetches === null ? undefined : run.fetches[id];
  if (pending === undefined) return;
  delete run.fetches[id];
  const outcome = JSONParse(outcomeJson);
  if (outcome.error) {
    const error = new TypeErrorCtor(outcome.error);
    error.cause = { __proto__: null, code: outcome.code };
    pending.reject(error);
    return;
  }
  pending.resolve(new Response(outcome.body, {
    status: outcome.status, statusText: outcome.statusText, headers: outcome.headers, url: outcome.url, redirected: outcome.redirected,
  }));
}
`;
