import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostFetcher } from '../../src/sandbox/host-fetch.ts';
import { createSandbox } from '../../src/sandbox/index.ts';
import { resolveOptions } from '../../src/sandbox/options.ts';
import { hookRequest } from './helpers.ts';

let server: Server;
let base: string;
const requests: { method?: string; url?: string; header?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, header: req.headers['x-hook'] as string | undefined, body });
      if (req.url === '/large') {
        // Streams more than the cap, in pieces, and never sends a length up front.
        res.writeHead(200, { 'content-type': 'text/plain' });
        let sent = 0;
        const timer = setInterval(() => {
          if (res.destroyed || sent >= 20) return clearInterval(timer), res.end();
          res.write('x'.repeat(1024));
          sent++;
        }, 1);
        return;
      }
      if (req.url === '/slow') {
        res.writeHead(200);
        res.write('partial');
        return; // never ends
      }
      if (req.url === '/redirect-to-localhost') {
        const { port } = server.address() as AddressInfo;
        res.writeHead(302, { location: `http://localhost:${port}/json` });
        return res.end();
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-answer': '42' });
      res.end(JSON.stringify({ echoed: body, method: req.method }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const allowed = createSandbox({ poolSize: 2, fetch: { allowHosts: ['127.0.0.1'], maxResponseBytes: 8 * 1024 } });
const locked = createSandbox({ poolSize: 2 });
afterAll(() => Promise.all([allowed.dispose(), locked.dispose()]));

// Reports what the hook saw: the response, or the error it caught.
const FETCHER = `exports.handler = async ({ url, init }) => {
  try {
    const res = await fetch(url, init);
    return { ok: res.ok, status: res.status, statusText: res.statusText, url: res.url, answer: res.headers.get('X-Answer'), body: await res.json() };
  } catch (error) {
    return { caught: error.name, message: error.message };
  }
};`;

describe('fetch', () => {
  it('refuses a loopback address that is not allowed, with an error the hook can catch', async () => {
    const before = requests.length;
    const result = await locked.run(hookRequest(FETCHER, { args: [{ url: `${base}/json`, init: { headers: { 'X-Hook': 'refused' } } }] }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toMatchObject({ caught: 'TypeError', message: expect.stringMatching(/refused: loopback/) });
    // Refused before connecting: the peer never saw a request.
    expect(requests.length).toBe(before);
  });

  it('refuses a host name that resolves to a private address', async () => {
    const { port } = server.address() as AddressInfo;
    const result = await locked.run(hookRequest(FETCHER, { args: [{ url: `http://localhost:${port}/json` }] }));
    expect(result.response).toMatchObject({ caught: 'TypeError', message: expect.stringMatching(/refused/) });
  });

  it('refuses other internal ranges and non-http schemes', async () => {
    const script = `exports.handler = async () => {
      const out = [];
      for (const url of ['http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'file:///etc/passwd']) {
        try { await fetch(url); out.push('reached ' + url); } catch (e) { out.push(e.message); }
      }
      return out;
    };`;
    const result = await locked.run(hookRequest(script, { args: [{}] }));
    const messages = result.response as string[];
    expect(messages.slice(0, 5).every((m) => /refused: (private|linkLocal|loopback|carrierGradeNat|unspecified)/.test(m))).toBe(true);
    expect(messages[5]).toMatch(/only http: and https:/);
  });

  it('reaches an allowed local peer: method, headers, body and the Response-like object', async () => {
    const init = { method: 'POST', headers: { 'X-Hook': 'allowed', 'content-type': 'text/plain' }, body: 'ping' };
    const result = await allowed.run(hookRequest(FETCHER, { args: [{ url: `${base}/json`, init }] }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toEqual({
      ok: true,
      status: 201,
      statusText: 'Created',
      url: `${base}/json`,
      answer: '42',
      body: { echoed: 'ping', method: 'POST' },
    });
    expect(requests).toContainEqual({ method: 'POST', url: '/json', header: 'allowed', body: 'ping' });
  });

  it('refuses a redirect from an allowed host to one that is not allowed', async () => {
    const result = await allowed.run(hookRequest(FETCHER, { args: [{ url: `${base}/redirect-to-localhost` }] }));
    expect(result.response).toMatchObject({ caught: 'TypeError', message: expect.stringMatching(/localhost.*refused/) });
  });

  it('aborts a response body larger than the cap', async () => {
    const script = `exports.handler = async ({ url }) => {
      try { const res = await fetch(url); return (await res.text()).length; } catch (e) { return e.message; }
    };`;
    const result = await allowed.run(hookRequest(script, { args: [{ url: `${base}/large` }] }));
    expect(result.response).toMatch(/larger than 8192 bytes/);
  });

  it('bounds a fetch by the run time: a response that never ends times the run out', async () => {
    const started = performance.now();
    const result = await allowed.run(hookRequest(FETCHER, { args: [{ url: `${base}/slow` }], timeoutMs: 300 }));
    const elapsed = performance.now() - started;
    expect(result.status).toBe('TIMED_OUT');
    expect(result.error?.message).toMatch(/fetch still pending/);
    // The deadline ended it (the message says so); the wall clock only guards against a stall, as
    // the response never ends: a loaded 2-core machine fires the 300 ms deadline late.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 5_000);
  });
});

describe('the host side of fetch', () => {
  it('checks the bounds of a request head again, whatever the isolate claims', async () => {
    const fetcher = new HostFetcher(resolveOptions({ fetch: { allowHosts: ['127.0.0.1'] } }).fetch);
    const headers = Array.from({ length: 101 }, (_, i): [string, string] => [`x-h${i}`, 'v']);
    try {
      const many = await fetcher.fetch({ url: `${base}/json`, method: 'GET', headers, body: null }, new AbortController().signal);
      expect(many).toEqual({ error: 'fetch failed: a request may carry at most 100 headers', code: 'ERR_REQUEST_TOO_LARGE' });
      const long = await fetcher.fetch({ url: `${base}/json?${'q'.repeat(20_000)}`, method: 'GET', headers: [], body: null }, new AbortController().signal);
      expect(long).toMatchObject({ code: 'ERR_REQUEST_TOO_LARGE' });
    } finally {
      await fetcher.close();
    }
  });
});
