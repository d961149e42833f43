/**
 * Node's modules inside the sandbox, from a bundle with no npm package (so no registry): the http
 * client over the guarded fetch, its errors and timeouts, Buffer, events, streams, timers, and work
 * that outlives the hook's answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageAllowlist } from '../../src/packages/allowlist.ts';
import { PackageBuilder } from '../../src/packages/builder.ts';
import { planPackages } from '../../src/packages/specs.ts';
import { createSandbox } from '../../src/sandbox/index.ts';
import type { LogLine, RunRequest } from '../../src/sandbox/types.ts';
import { startReceiver } from './receiver.ts';

const dir = mkdtempSync(join(tmpdir(), 'hookgate-node-modules-'));
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const sandbox = createSandbox({ poolSize: 1, fetch: { allowHosts: ['127.0.0.1'] } });
const guarded = createSandbox({ poolSize: 1 });

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await Promise.all([sandbox.dispose(), guarded.dispose(), receiver.close()]);
  rmSync(dir, { recursive: true, force: true });
});

// No package: the registry is never asked.
const builder = new PackageBuilder({ dir, registry: 'http://127.0.0.1:9/', allow: packageAllowlist([]), maxBundleBytes: 8 * 1024 * 1024 });

async function run(script: string, extra: Partial<RunRequest> = {}, box = sandbox) {
  const source = script.replaceAll('RECEIVER', receiver.url);
  const bundle = await builder.build((await planPackages(source, {}))!);
  return box.run({ cacheKey: `${bundle.hash}:${source}`, script: source, args: [{}], env: {}, timeoutMs: 3000, bundle: { hash: bundle.hash, source: bundle.source }, ...extra });
}

describe("Node's modules in the sandbox", () => {
  it('sends http requests over the guarded fetch, with headers, a body and the answer as a stream', async () => {
    const result = await run(`const http = require('http');
      module.exports = function (user, cb) {
        const req = http.request('RECEIVER/http', { method: 'PUT', headers: { 'X-Trace': 'abc', 'Content-Type': 'text/plain' } }, (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => cb(null, { status: res.statusCode, type: res.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString()) }));
        });
        req.on('error', cb);
        req.write('hello ');
        req.end('world');
      };`);
    expect(result.error ?? null).toBeNull();
    expect(result.response).toEqual({ status: 200, type: 'application/json', body: { received: '/http', bytes: 11 } });
    const request = await receiver.next('/http');
    expect(request).toMatchObject({ method: 'PUT', body: 'hello world' });
    expect(request.headers['x-trace']).toBe('abc');
  });

  it("keeps the sandbox's address guard: an internal address is refused with an error event", async () => {
    const result = await run(
      `const http = require('http');
      module.exports = function (user, cb) {
        http.get('RECEIVER/guarded', () => cb(null, 'reached')).on('error', (error) => cb(null, { code: error.code, message: error.message }));
      };`,
      {},
      guarded,
    );
    expect(result.response).toMatchObject({ message: expect.stringContaining('127.0.0.1') });
    expect(receiver.received.some((entry) => entry.path === '/guarded')).toBe(false);
  });

  it('gives events, streams, timers with unref, util and assert as on Node', async () => {
    const result = await run(`const { EventEmitter } = require('events');
      const { Readable, Transform, Stream } = require('stream');
      const timers = require('timers');
      const util = require('util');
      const assert = require('assert');
      module.exports = function (user, cb) {
        const emitter = new EventEmitter();
        const upper = new Transform({ transform(chunk, enc, done) { done(null, chunk.toString().toUpperCase()); } });
        const out = [];
        upper.on('data', (chunk) => out.push(chunk.toString()));
        upper.on('end', () => emitter.emit('done', out.join('')));
        Readable.from(['a', 'b', 'c']).pipe(upper);
        emitter.on('done', (text) => {
          const timer = timers.setTimeout(() => {
            let failed = false;
            try { assert.deepStrictEqual({ a: 1 }, { a: 2 }); } catch (e) { failed = e.code === 'ERR_ASSERTION'; }
            cb(null, { text, isStream: upper instanceof Stream, formatted: util.format('%s:%d', 'x', 1), failed, nextTick: typeof process.nextTick });
          }, 5);
          timer.unref();
        });
      };`);
    expect(result.error ?? null).toBeNull();
    expect(result.response).toEqual({ text: 'ABC', isStream: true, formatted: 'x:1', failed: true, nextTick: 'function' });
  });

  it('answers at once while a request it started finishes, its console lines still recorded', async () => {
    const lines: LogLine[] = [];
    let answeredAt = 0;
    const logged = new Promise<void>((resolve) => {
      void run(
        `const http = require('http');
        module.exports = function (user, cb) {
          const req = http.request('RECEIVER/hold-after', { method: 'POST' }, (res) => {
            res.resume();
            res.on('end', () => console.log('delivered after the answer', res.statusCode));
          });
          req.end('{}');
          cb(null, 'answered');
        };`,
        {
          onLog: (line) => {
            lines.push(line);
            resolve();
          },
        },
      ).then(async (result) => {
        answeredAt = Date.now();
        expect(result.response).toBe('answered');
        expect(result.logs).toEqual([]);
        // The request is answered only now: its line cannot come before the run's answer.
        await receiver.next('/hold-after');
        receiver.release();
      });
    });
    await logged;
    expect(answeredAt).toBeGreaterThan(0);
    expect(lines.map((line) => line.message)).toEqual(['delivered after the answer 200']);
    expect(lines[0]!.time).toBeGreaterThanOrEqual(answeredAt);
  });

  it('lets a request outlive the answer only until the timeout, and holds no other run back meanwhile', async () => {
    const started = Date.now();
    const first = await run(
      `const http = require('http');
      module.exports = function (user, cb) { http.get('RECEIVER/hang').on('error', () => {}); cb(null, 'answered'); };`,
      { timeoutMs: 400 },
    );
    expect(first.response).toBe('answered');
    await receiver.next('/hang');
    // One CPU slot, but a lingering run holds none: the next run answers while the request hangs.
    const second = await run(`module.exports = function (user, cb) { cb(null, Buffer.from('next').toString('hex')); };`);
    expect(second.response).toBe('6e657874');
    expect(Date.now() - started).toBeLessThan(400);
    // At the first run's deadline the hanging request is cut.
    expect(await receiver.closed('/hang')).toBeGreaterThanOrEqual(started + 400);
  });

  it('names the Node module a hook may not use, and a module its build did not include', async () => {
    const result = await run(`const fs = (() => { try { return require('fs'); } catch (e) { return e.message; } })();
      module.exports = function (user, cb) {
        const names = ['net', 'child_process', 'node:worker_threads', 'left' + '-pad'];
        cb(null, [fs, ...names.map((name) => { try { require(name); return 'loaded'; } catch (e) { return e.code + ': ' + e.message; } })]);
      };`);
    expect(result.response).toEqual([
      'The Node.js module "fs" is not available in hooks',
      ...['net', 'child_process', 'worker_threads'].map((name) => `ERR_HOOKGATE_MODULE_UNAVAILABLE: The Node.js module "${name}" is not available in hooks`),
      expect.stringMatching(/^MODULE_NOT_FOUND: Cannot find module 'left-pad': a hook can require the packages in its dependencies/),
    ]);
  });
});
