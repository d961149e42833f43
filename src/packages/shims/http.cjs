// Node's `http` client over the sandbox's guarded `fetch`: requests keep the sandbox's address
// guard, time and size bounds. Bodies travel as text (the sandbox's fetch carries UTF-8 strings);
// responses arrive decoded, so content-encoding and framing headers are dropped.
'use strict';
const { Writable, Readable } = require('stream');
const { EventEmitter } = require('events');
const { Buffer } = require('buffer');

const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect',
  308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
// Set by the fetch itself, or meaningless once the body arrives decoded.
const DROPPED_REQUEST_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect']);
const DROPPED_RESPONSE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding']);

class Agent extends EventEmitter {
  constructor(options) { super(); this.options = options || {}; this.defaultPort = 80; this.protocol = 'http:'; this.maxSockets = Infinity; this.sockets = {}; this.requests = {}; }
  destroy() {}
}

class FakeSocket extends EventEmitter {
  constructor(secure) { super(); this.connecting = false; this.authorized = secure; this.encrypted = secure; this.remoteAddress = undefined; }
  setTimeout() { return this; }
  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  ref() { return this; }
  unref() { return this; }
  destroy() { return this; }
  end() { return this; }
  address() { return {}; }
}

class IncomingMessage extends Readable {
  constructor(socket, status, statusText, headerPairs, url) {
    super();
    this.socket = socket;
    this.connection = socket;
    this.statusCode = status;
    this.statusMessage = statusText || STATUS_CODES[status] || '';
    this.httpVersion = '1.1';
    this.httpVersionMajor = 1;
    this.httpVersionMinor = 1;
    this.url = url;
    this.complete = false;
    this.headers = {};
    this.rawHeaders = [];
    for (const [name, value] of headerPairs) {
      if (DROPPED_RESPONSE_HEADERS.has(name)) continue;
      this.rawHeaders.push(name, value);
      if (name === 'set-cookie') (this.headers[name] = this.headers[name] || []).push(value);
      else this.headers[name] = this.headers[name] === undefined ? value : this.headers[name] + ', ' + value;
    }
    this.trailers = {};
    this.rawTrailers = [];
  }
  _read() {}
  setTimeout(ms, callback) { if (callback) this.once('timeout', callback); return this; }
}

function parseTarget(args, defaultProtocol) {
  let url = null;
  let options = {};
  let callback;
  for (const arg of args) {
    if (typeof arg === 'function') callback = arg;
    else if (typeof arg === 'string') url = new URL(arg);
    else if (arg instanceof URL) url = arg;
    else if (arg && typeof arg === 'object' && typeof arg.href === 'string' && url === null && !arg.hostname && !arg.host) url = new URL(arg.href);
    else if (arg && typeof arg === 'object') options = arg;
  }
  const protocol = options.protocol || (url && url.protocol) || defaultProtocol;
  const hostHeader = options.host && !options.hostname ? String(options.host) : null;
  let hostname = options.hostname || (hostHeader ? hostHeader.replace(/:\d+$/, '') : null) || (url && url.hostname) || 'localhost';
  if (hostname.includes(':') && !hostname.startsWith('[')) hostname = '[' + hostname + ']';
  const port = options.port || (url && url.port) || '';
  const path = options.path || (url ? url.pathname + url.search : '/');
  const auth = options.auth || (url && url.username ? decodeURIComponent(url.username) + ':' + decodeURIComponent(url.password) : null);
  return {
    href: protocol + '//' + hostname + (port && String(port) !== (protocol === 'https:' ? '443' : '80') ? ':' + port : '') + path,
    method: String(options.method || 'GET').toUpperCase(),
    headers: options.headers || {},
    auth,
    timeout: options.timeout,
    callback,
  };
}

class ClientRequest extends Writable {
  constructor(target, secure) {
    super();
    this.method = target.method;
    this.path = target.href;
    this.host = new URL(target.href).hostname;
    this.protocol = secure ? 'https:' : 'http:';
    this.aborted = false;
    this.finished = false;
    this.reusedSocket = false;
    this.socket = new FakeSocket(secure);
    this.connection = this.socket;
    this._href = target.href;
    this._headers = {};
    this._chunks = [];
    this._timer = null;
    this._done = false;
    for (const name of Object.keys(target.headers)) this.setHeader(name, target.headers[name]);
    if (target.auth && !this.hasHeader('authorization')) this.setHeader('Authorization', 'Basic ' + Buffer.from(target.auth).toString('base64'));
    if (target.callback) this.once('response', target.callback);
    if (target.timeout) this.setTimeout(target.timeout);
    this.once('finish', () => this._send());
    queueMicrotask(() => { if (!this._done) this.emit('socket', this.socket); });
  }
  setHeader(name, value) { this._headers[String(name).toLowerCase()] = [name, value]; return this; }
  getHeader(name) { const entry = this._headers[String(name).toLowerCase()]; return entry === undefined ? undefined : entry[1]; }
  hasHeader(name) { return this._headers[String(name).toLowerCase()] !== undefined; }
  removeHeader(name) { delete this._headers[String(name).toLowerCase()]; }
  getHeaders() { const out = {}; for (const key of Object.keys(this._headers)) out[key] = this._headers[key][1]; return out; }
  getHeaderNames() { return Object.keys(this._headers); }
  getRawHeaderNames() { return Object.keys(this._headers).map((key) => this._headers[key][0]); }
  flushHeaders() {}
  setNoDelay() {}
  setSocketKeepAlive() {}
  setTimeout(ms, callback) {
    if (callback) this.once('timeout', callback);
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = ms > 0 ? setTimeout(() => { this._timer = null; if (!this._done) this.emit('timeout'); }, ms) : null;
    return this;
  }
  abort() {
    if (this._done) return;
    this.aborted = true;
    this._finishTimer();
    this._done = true;
    queueMicrotask(() => { this.emit('abort'); this.emit('close'); });
  }
  _destroy(error, callback) {
    if (!this._done) { this.aborted = true; this._done = true; this._finishTimer(); }
    callback(error);
  }
  _write(chunk, encoding, callback) {
    this._chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
    callback();
  }
  _finishTimer() { if (this._timer !== null) { clearTimeout(this._timer); this._timer = null; } }
  _send() {
    if (this._done) return;
    this.finished = true;
    const headers = [];
    for (const key of Object.keys(this._headers)) {
      if (DROPPED_REQUEST_HEADERS.has(key)) continue;
      const value = this._headers[key][1];
      if (Array.isArray(value)) for (const item of value) headers.push([key, String(item)]);
      else if (value !== undefined) headers.push([key, String(value)]);
    }
    const body = this._chunks.length === 0 ? undefined : Buffer.concat(this._chunks).toString('utf8');
    const hasBody = body !== undefined && this.method !== 'GET' && this.method !== 'HEAD';
    fetch(this._href, { method: this.method, headers, body: hasBody ? body : undefined }).then(
      (response) => response.text().then((text) => this._respond(response, text)),
      (error) => this._fail(error),
    ).catch((error) => this._fail(error));
  }
  _respond(response, text) {
    if (this._done) return;
    this._done = true;
    this._finishTimer();
    const pairs = [];
    response.headers.forEach((value, name) => pairs.push([name, value]));
    const message = new IncomingMessage(this.socket, response.status, response.statusText, pairs, response.url || this._href);
    message.req = this;
    this.res = message;
    this.emit('response', message);
    if (text.length > 0) message.push(Buffer.from(text, 'utf8'));
    message.complete = true;
    message.push(null);
  }
  _fail(cause) {
    if (this._done) return;
    this._done = true;
    this._finishTimer();
    const error = new Error(cause && cause.message ? cause.message : String(cause));
    error.code = cause && cause.cause && cause.cause.code ? cause.cause.code : 'ECONNRESET';
    this.emit('error', error);
    this.emit('close');
  }
}

function createModule(secure) {
  const defaultProtocol = secure ? 'https:' : 'http:';
  const globalAgent = new Agent({});
  globalAgent.protocol = defaultProtocol;
  globalAgent.defaultPort = secure ? 443 : 80;
  function request(...args) {
    return new ClientRequest(parseTarget(args, defaultProtocol), secure);
  }
  function get(...args) {
    const req = request(...args);
    req.end();
    return req;
  }
  return {
    request, get, Agent, globalAgent, ClientRequest, IncomingMessage, STATUS_CODES, METHODS,
    createServer() { throw new Error('The Node.js module "http" cannot create servers in hooks'); },
    validateHeaderName() {}, validateHeaderValue() {},
    maxHeaderSize: 16384,
  };
}

module.exports = { http: createModule(false), https: createModule(true) };
