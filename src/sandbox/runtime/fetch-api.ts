/**
 * `fetch`, `Headers` and a Response-like object. The request leaves the isolate as a JSON message
 * in the run's outbox; the host performs it (with its own address checks, time and size bounds)
 * and delivers the outcome back as JSON. Nothing host-side is ever reachable.
 */
import { Out, type FetchOutcome, type FetchRequest } from '../runtime-protocol.ts';
import { toBytes, utf8Decode, utf8Encode } from './encoding.ts';
import { limits } from './host-bindings.ts';
import {
  append,
  ArrayBufferCtor,
  ArrayBufferIsView,
  JSONParse,
  JSONStringify,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  NumberCtor,
  ObjectCreate,
  ObjectKeys,
  PromiseCtor,
  PromisePrototypeThen,
  PromiseResolve,
  ReflectApply,
  RegExpPrototypeTest,
  StringCtor,
  StringPrototypeToLowerCase,
  SymbolIterator,
  TypeErrorCtor,
} from './intrinsics.ts';
import { currentRun, nextId, send, type RunState } from './run-state.ts';
import { URL, URLSearchParams } from './url.ts';

type Bag = Record<PropertyKey, unknown>;

// Neither class names itself inside its body (see URL in url.ts): helpers below do it.
export class Headers {
  #map = new MapCtor<string, string>();
  constructor(init?: unknown) {
    if (init === undefined || init === null) return;
    if (isHeaders(init)) { init.forEach((value, name) => this.append(name, value)); return; }
    const record = init as Bag;
    if (typeof record[SymbolIterator] === 'function') { for (const [name, value] of init as Iterable<[unknown, unknown]>) this.append(name, value); return; }
    const keys = ObjectKeys(record);
    for (let i = 0; i < keys.length; i++) this.append(keys[i], record[keys[i]]);
  }
  #key(name: unknown): string {
    const key = StringPrototypeToLowerCase(StringCtor(name));
    if (!RegExpPrototypeTest(/^[!#$%&'*+.^_|~0-9a-z\x60-]+$/, key)) throw new TypeErrorCtor('Invalid header name: ' + name);
    return key;
  }
  append(name: unknown, value: unknown) {
    const key = this.#key(name);
    const text = StringCtor(value);
    const previous = MapPrototypeGet(this.#map, key);
    MapPrototypeSet(this.#map, key, previous === undefined ? text : previous + ', ' + text);
  }
  set(name: unknown, value: unknown) { MapPrototypeSet(this.#map, this.#key(name), StringCtor(value)); }
  get(name: unknown): string | null { const value = MapPrototypeGet(this.#map, this.#key(name)); return value === undefined ? null : value; }
  has(name: unknown): boolean { return MapPrototypeHas(this.#map, this.#key(name)); }
  delete(name: unknown) { MapPrototypeDelete(this.#map, this.#key(name)); }
  forEach(fn: (value: string, name: string, headers: Headers) => void, thisArg?: unknown) { for (const [k, v] of this.entries()) ReflectApply(fn, thisArg, [v, k, this]); }
  *entries(): Generator<[string, string]> { const keys = [...this.#map.keys()].sort(); for (const k of keys) yield [k, MapPrototypeGet(this.#map, k)]; }
  *keys(): Generator<string> { for (const [k] of this.entries()) yield k; }
  *values(): Generator<string> { for (const [, v] of this.entries()) yield v; }
  [SymbolIterator]() { return this.entries(); }
}

interface ResponseInit {
  status?: unknown;
  statusText?: unknown;
  headers?: unknown;
  url?: string;
  redirected?: boolean;
}

export class Response {
  #body; #used = false;
  // Set in the constructor, in this order (declared only, so they are not class fields).
  declare status: number;
  declare statusText: string;
  declare headers: Headers;
  declare ok: boolean;
  declare url: string;
  declare redirected: boolean;
  declare type: string;
  constructor(body?: unknown, init?: ResponseInit | null) {
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
  #consume(): Promise<string> {
    if (this.#used) return PromiseCtor.reject(new TypeErrorCtor('Body is unusable: Body has already been read'));
    this.#used = true;
    return PromiseResolve(this.#body);
  }
  text() { return this.#consume(); }
  json() { return PromisePrototypeThen(this.#consume(), (text) => JSONParse(text) as unknown); }
  arrayBuffer() { return PromisePrototypeThen(this.#consume(), (text) => utf8Encode(text).buffer); }
  clone() {
    if (this.#used) throw new TypeErrorCtor('Response.clone: Body has already been consumed.');
    return makeResponse(this.#body, { status: this.status, statusText: this.statusText, headers: this.headers, url: this.url, redirected: this.redirected });
  }
}

function isHeaders(value: unknown): value is Headers {
  return value instanceof Headers;
}

function makeResponse(body: unknown, init: ResponseInit): Response {
  return new Response(body, init);
}

function requestBody(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBufferCtor || ArrayBufferIsView(body)) return utf8Decode(toBytes(body), false);
  return StringCtor(body);
}

interface RequestInit {
  method?: unknown;
  headers?: unknown;
  body?: unknown;
}

export function fetch(input: unknown, init?: RequestInit | null): Promise<Response> {
  const run = currentRun;
  return new PromiseCtor((resolve, reject) => {
    // A settled run may still fetch: the host lets such requests finish within the run's timeout.
    if (run === null) throw new TypeErrorCtor('fetch failed: the run has ended');
    const options = init || {};
    const request = input as Bag | null | undefined;
    const url = input instanceof URL ? input.href : typeof input === 'object' && input !== null && 'url' in input ? StringCtor(input.url) : StringCtor(input);
    const method = StringPrototypeToLowerCase(StringCtor(options.method || (request && request.method) || 'GET')).toUpperCase();
    // Bounded here, before anything leaves the isolate: the host parses and sends what it gets.
    if (url.length > limits.maxFetchHeadBytes) throw new TypeErrorCtor('fetch failed: a URL may be at most ' + limits.maxFetchHeadBytes + ' characters');
    const headers: [string, string][] = [];
    let headBytes = url.length;
    const headersInit = options.headers || (request && request.headers);
    // A plain object is counted before it is copied: copying 500,000 headers would cost seconds.
    if (headersInit !== null && typeof headersInit === 'object' && !(headersInit instanceof Headers) && typeof (headersInit as Bag)[SymbolIterator] !== 'function' && ObjectKeys(headersInit).length > limits.maxFetchHeaders) {
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
    const id = nextId();
    if (run.fetches === null) run.fetches = ObjectCreate(null) as NonNullable<RunState['fetches']>;
    run.fetches[id] = { __proto__: null, resolve, reject } as NonNullable<RunState['fetches']>[number];
    const req: FetchRequest = { url, method, headers, body };
    send('{"t":"' + Out.fetch + '","id":' + id + ',"req":' + JSONStringify(req) + '}');
  });
}

/** The host's answer to a fetch: a response, or the reason it failed. */
export function deliverFetch(run: RunState, id: number, outcomeJson: string): void {
  const pending = run.fetches === null ? undefined : run.fetches[id];
  if (pending === undefined) return;
  delete run.fetches![id];
  const outcome = JSONParse(outcomeJson) as FetchOutcome;
  if ('error' in outcome && outcome.error) {
    const error = new TypeErrorCtor(outcome.error);
    error.cause = { __proto__: null, code: outcome.code };
    pending.reject(error);
    return;
  }
  const answer = outcome as Extract<FetchOutcome, { status: number }>;
  pending.resolve(new Response(answer.body, {
    status: answer.status, statusText: answer.statusText, headers: answer.headers, url: answer.url, redirected: answer.redirected,
  }));
}
