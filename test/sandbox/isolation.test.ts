import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { hookRequest } from './helpers.ts';

// One isolate: every hook below shares it, so leaks between hooks would show.
const sandbox = createSandbox({ poolSize: 1 });
afterAll(() => sandbox.dispose());

describe('require and import', () => {
  it('makes require throw an error naming the module and what is available', async () => {
    const script = "module.exports = (u, c, cb) => { try { require('fs'); cb(null, 'loaded fs'); } catch (e) { cb(null, { message: e.message, code: e.code }); } };";
    const result = await sandbox.run(hookRequest(script));
    expect(result.response).toMatchObject({ code: 'MODULE_NOT_FOUND' });
    const { message } = result.response as { message: string };
    expect(message).toContain("'fs'");
    expect(message).toMatch(/Available instead: console, fetch/);
  });

  it('fails a run whose require is not caught, with the line', async () => {
    const result = await sandbox.run(hookRequest("const axios = require('axios');\nmodule.exports = (u, c, cb) => cb(null, 1);"));
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ line: 1, message: expect.stringContaining("'axios'") });
  });

  it('rejects dynamic import()', async () => {
    const script = "exports.handler = async () => { try { await import('fs'); return 'imported'; } catch (e) { return 'refused: ' + e.message; } };";
    const result = await sandbox.run(hookRequest(script, { args: [{}] }));
    expect(result.response).toMatch(/^refused: /);
  });
});

describe('escapes', () => {
  it('finds no host process behind the constructor chains', async () => {
    const script = `module.exports = function (u, c, cb) {
      const viaThis = this === undefined ? null : this.constructor.constructor('return process')();
      const viaObject = ({}).constructor.constructor('return process')();
      const global = ({}).constructor.constructor('return this')();
      const viaCb = cb.constructor('return this')();
      cb(null, {
        same: viaObject === process && global.process === process && viaCb === global,
        processKeys: Object.getOwnPropertyNames(viaObject),
        binding: typeof viaObject.binding, mainModule: typeof viaObject.mainModule, versions: typeof viaObject.versions,
        thisProcess: viaThis === null ? null : Object.getOwnPropertyNames(viaThis),
        globalRequire: typeof global.require, buffer: typeof global.Buffer,
        // Blocking without burning CPU would defeat the host's stall detection.
        atomicsWait: typeof Atomics.wait,
      });
    };`;
    const result = await sandbox.run(hookRequest(script));
    expect(result.response).toEqual({
      same: true,
      processKeys: ['env'],
      binding: 'undefined',
      mainModule: 'undefined',
      versions: 'undefined',
      // Called sloppy-mode, `this` is the isolate's own global: its process has `env` only.
      thisProcess: ['env'],
      globalRequire: 'undefined',
      buffer: 'undefined',
      atomicsWait: 'undefined',
    });
  });

  it('leaves no isolated-vm handle or host function reachable from the global object', async () => {
    // Walks every object reachable from globalThis (own properties, prototypes, getters' results are
    // not invoked) and lists names that would betray a bridge.
    const script = `module.exports = (u, c, cb) => {
      const seen = new Set(); const suspicious = []; const queue = [[globalThis, 'globalThis']];
      while (queue.length) {
        const [value, path] = queue.shift();
        if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
        seen.add(value);
        for (const key of Reflect.ownKeys(value)) {
          const name = String(key);
          if (/^(ivm|isolated.*|Isolate|Context|Reference|Dereference|ExternalCopy|Copy|Callback|NativeModule|postLog|entry|hookgate.*)$/i.test(name)) suspicious.push(path + '.' + name);
          const d = Object.getOwnPropertyDescriptor(value, key);
          if (d && 'value' in d) queue.push([d.value, path + '.' + name]);
        }
        queue.push([Object.getPrototypeOf(value), path + '.__proto__']);
      }
      cb(null, { suspicious, objects: seen.size });
    };`;
    const result = await sandbox.run(hookRequest(script));
    const response = result.response as { suspicious: string[]; objects: number };
    expect(response.suspicious).toEqual([]);
    expect(response.objects).toBeGreaterThan(100);
  });

  it('keeps a hook that tampers with built-ins from affecting its own response or other hooks', async () => {
    const tamper = `module.exports = (u, c, cb) => {
      JSON.stringify = () => '{"forged":true}';
      JSON.parse = () => ({ forged: true });
      Array.prototype.push = () => { throw new Error('push sabotaged'); };
      Object.defineProperty(Object.prototype, 'then', { get() { throw new Error('then sabotaged'); }, configurable: true });
      Object.prototype.toString = () => 'sabotaged';
      Promise.prototype.then = function () { throw new Error('promise sabotaged'); };
      globalThis.console = { log() {} };
      cb(null, { honest: [1, 2, 3] });
    };`;
    const tampered = await sandbox.run(hookRequest(tamper));
    expect(tampered.status).toBe('SUCCEEDED');
    expect(tampered.response).toEqual({ honest: [1, 2, 3] });

    const other = `exports.handler = async (context) => {
      const list = []; list.push(context.n);
      console.log('sees', JSON.stringify({ list }), Object.prototype.toString.call([]));
      return { list, parsed: JSON.parse('{"a":1}') };
    };`;
    const result = await sandbox.run(hookRequest(other, { args: [{ n: 7 }] }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toEqual({ list: [7], parsed: { a: 1 } });
    expect(result.logs.map((l) => l.message)).toEqual(['sees {"list":[7]} [object Array]']);
  });

  it('does not share globals between hooks', async () => {
    await sandbox.run(hookRequest("globalThis.stash = 'secret of hook A'; module.exports = (u, c, cb) => cb(null, 1);"));
    const result = await sandbox.run(hookRequest('module.exports = (u, c, cb) => cb(null, typeof globalThis.stash);'));
    expect(result.response).toBe('undefined');
  });
});

describe('web globals', () => {
  it('provides crypto.randomUUID, atob/btoa, TextEncoder/TextDecoder, URL and URLSearchParams', async () => {
    const script = `module.exports = (u, c, cb) => {
      const bytes = new TextEncoder().encode('héllo €𝄞');
      const url = new URL('/a/../b?x=1 2#frag', 'https://Example.com:443/dir/page');
      url.searchParams.append('y', 'ü');
      cb(null, {
        uuids: [crypto.randomUUID(), crypto.randomUUID()],
        b64: btoa('hello world'), raw: atob('aGVsbG8gd29ybGQ='),
        bytes: Array.from(bytes), text: new TextDecoder().decode(bytes),
        href: url.href, host: url.host, origin: url.origin, x: url.searchParams.get('x'),
        query: new URLSearchParams({ a: '1', b: 'two words' }).toString(),
      });
    };`;
    const result = await sandbox.run(hookRequest(script));
    const r = result.response as Record<string, unknown>;
    expect(result.status).toBe('SUCCEEDED');
    const uuids = r.uuids as string[];
    expect(uuids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuids[0]).not.toBe(uuids[1]);
    expect(r).toMatchObject({
      b64: 'aGVsbG8gd29ybGQ=',
      raw: 'hello world',
      bytes: [...Buffer.from('héllo €𝄞')],
      text: 'héllo €𝄞',
      href: 'https://example.com/b?x=1+2&y=%C3%BC#frag',
      host: 'example.com',
      origin: 'https://example.com',
      x: '1 2',
      query: 'a=1&b=two+words',
    });
  });

  it('formats console values roughly like util.inspect, on one line', async () => {
    const script = `module.exports = (u, c, cb) => {
      console.info('n=%d s=%s', 42, 'str', [1, 'two', null], { nested: { deeper: { deepest: { x: 1 } } }, 'a-b': true }, undefined);
      console.debug(new Map([['k', 1]]), new Set([1]), function named() {}, Symbol('s'), -0, 5n, new Date(0));
      cb(null, true);
    };`;
    const result = await sandbox.run(hookRequest(script));
    expect(result.logs.map((l) => [l.level, l.message])).toEqual([
      ['INFO', "n=42 s=str [ 1, 'two', null ] { nested: { deeper: { deepest: [Object] } }, 'a-b': true } undefined"],
      ['DEBUG', "Map(1) { 'k' => 1 } Set(1) { 1 } [Function: named] Symbol(s) -0 5n 1970-01-01T00:00:00.000Z"],
    ]);
  });
});
