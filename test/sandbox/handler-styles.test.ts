import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { hookRequest, readSample } from './helpers.ts';

const sandbox = createSandbox({ poolSize: 2 });
afterAll(() => sandbox.dispose());

const payload = JSON.parse(readSample('payload-pre-user-registration.json')) as { user: object; context: object };

describe('Auth0 callback style', () => {
  it('runs the metadata sample unmodified', async () => {
    const result = await sandbox.run(hookRequest(readSample('auth0-pre-user-registration-metadata.js'), { args: [payload.user, payload.context] }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toEqual({ user: { user_metadata: { foo: 'bar' }, app_metadata: { vip: true, score: 7 } } });
    expect(result.error).toBeNull();
    expect(result.cpuTimeMs).toBeGreaterThan(0);
  });

  it('runs the starter sample unmodified: the response user is the input user', async () => {
    const result = await sandbox.run(hookRequest(readSample('auth0-pre-user-registration-starter.js'), { args: [payload.user, payload.context] }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toEqual({ user: payload.user });
  });

  it('reads secrets from context.webtask.secrets and env vars from process.env', async () => {
    const script = `module.exports = function (user, context, cb) {
      cb(null, { secret: context.webtask.secrets.API_KEY, region: process.env.REGION, keys: Object.keys(process) });
    };`;
    const result = await sandbox.run(hookRequest(script, { args: [{}, { webtask: { secrets: { API_KEY: 's3cr3t' } } }], env: { REGION: 'eu-west' } }));
    expect(result.response).toEqual({ secret: 's3cr3t', region: 'eu-west', keys: ['env'] });
  });

  it('gives each run its own frozen process.env', async () => {
    const script = `module.exports = function (user, context, cb) {
      'use strict';
      let wrote = true;
      try { process.env.INJECTED = 'x'; } catch { wrote = false; }
      cb(null, { seen: process.env.FIRST ?? null, wrote, injected: process.env.INJECTED ?? null });
    };`;
    const first = await sandbox.run(hookRequest(script, { env: { FIRST: 'one' } }));
    const second = await sandbox.run(hookRequest(script, { env: {} }));
    expect(first.response).toEqual({ seen: 'one', wrote: false, injected: null });
    expect(second.response).toEqual({ seen: null, wrote: false, injected: null });
  });

  it('denies with PreUserRegistrationError: name, log message, user message and line', async () => {
    const script = [
      'module.exports = function (user, context, cb) {',
      "  return cb(new PreUserRegistrationError('Denied user registration in Pre User Registration Hook', 'You are not allowed to register.'));",
      '};',
    ].join('\n');
    const result = await sandbox.run(hookRequest(script));
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({
      name: 'PreUserRegistrationError',
      message: 'Denied user registration in Pre User Registration Hook',
      userMessage: 'You are not allowed to register.',
      line: 2,
    });
  });

  it('fails with any Error passed to the callback', async () => {
    const result = await sandbox.run(hookRequest("module.exports = (u, c, cb) => cb(new RangeError('nope'));"));
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ name: 'RangeError', message: 'nope', line: 1 });
  });

  it('keeps the first result of a callback called twice and logs a warning', async () => {
    const result = await sandbox.run(hookRequest("module.exports = (u, c, cb) => { cb(null, { first: true }); cb(null, { second: true }); };"));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toEqual({ first: true });
    expect(result.logs).toHaveLength(1);
    expect(result.logs[0]).toMatchObject({ level: 'WARN', message: expect.stringContaining('called more than once') });
  });

  it('reports a thrown error with the line number in the hook script', async () => {
    const script = ['// a comment', 'module.exports = function (user, context, cb) {', '  const x = 1;', "  throw new TypeError('boom');", '};'].join('\n');
    const result = await sandbox.run(hookRequest(script));
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ name: 'TypeError', message: 'boom', line: 4, column: 9 });
  });

  it('reports an error thrown after an await with its line', async () => {
    const script = ['module.exports = async function (user, context, cb) {', '  await null;', '  null.property;', '};'].join('\n');
    const result = await sandbox.run(hookRequest(script));
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ name: 'TypeError', line: 3 });
  });

  it('keeps module state between runs of the same cache key', async () => {
    const script = 'let runs = 0; module.exports = (u, c, cb) => cb(null, ++runs);';
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push((await createOnePoolRun(script)).response);
    expect(responses).toEqual([1, 2, 3]);
  });
});

describe('warm runs', () => {
  it('keep each run\'s own log lines', async () => {
    const script = "module.exports = (user, context, cb) => { console.log('run', user.n); console.warn('again', user.n); cb(null, user.n); };";
    const results = [];
    for (let n = 0; n < 5; n++) results.push(await onePool.run(hookRequest(script, { args: [{ n }, {}] })));
    expect(results.map((r) => r.response)).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.logs.map((l) => `${l.level} ${l.message}`))).toEqual(
      [0, 1, 2, 3, 4].map((n) => [`LOG run ${n}`, `WARN again ${n}`]),
    );
  });
});

describe('OneLogin style', () => {
  it('runs the pre-authentication sample and logs the context as one readable line', async () => {
    const context = { user: { id: 42, email: 'ada@example.com', roles: ['admin'] }, app: { id: 7, name: 'Portal' } };
    const result = await sandbox.run(hookRequest(readSample('onelogin-pre-authentication.js'), { args: [context] }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toEqual({ user: context.user });
    expect(result.logs.map((line) => line.message)).toEqual([
      "{ user: { id: 42, email: 'ada@example.com', roles: [ 'admin' ] }, app: { id: 7, name: 'Portal' } }",
    ]);
  });

  it('runs the base64 sample once decoded, with the same result', async () => {
    const script = Buffer.from(readSample('onelogin-pre-authentication.b64').trim(), 'base64').toString('utf8');
    const result = await sandbox.run(hookRequest(script, { args: [{ user: { id: 1 } }] }));
    expect(result.response).toEqual({ user: { id: 1 } });
  });

  it('awaits a returned promise and turns undefined into null', async () => {
    const script = 'exports.handler = async (context) => { await new Promise((r) => setTimeout(r, 5)); };';
    const result = await sandbox.run(hookRequest(script, { args: [{}] }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.response).toBeNull();
  });

  it('fails on a rejected promise with name, message and line', async () => {
    const script = ['exports.handler = async (context) => {', "  throw new Error('rejected: ' + context.reason);", '};'].join('\n');
    const result = await sandbox.run(hookRequest(script, { args: [{ reason: 'policy' }] }));
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ name: 'Error', message: 'rejected: policy', line: 2 });
  });
});

describe('scripts without a handler', () => {
  it('fails with a message naming both accepted shapes', async () => {
    const result = await sandbox.run(hookRequest('exports.notAHandler = 1;'));
    expect(result.status).toBe('FAILED');
    expect(result.error?.message).toMatch(/does not export a handler/);
    expect(result.error?.message).toMatch(/module\.exports = function/);
    expect(result.error?.message).toMatch(/exports\.handler/);
  });

  it('fails with the syntax error and its line when the script does not compile', async () => {
    const result = await sandbox.run(hookRequest('module.exports = function (u, c, cb) {\n  cb(null, {);\n};'));
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ name: 'SyntaxError', line: 2 });
  });

  it('fails when the top level throws, and does not keep the half-loaded module', async () => {
    // Kept, the half-loaded module would answer "does not export a handler" on the next run.
    const script = "exports.early = true;\nthrow new Error('top level fails');\nmodule.exports = (u, c, cb) => cb(null, 'loaded');";
    const first = await onePool.run(hookRequest(script));
    expect(first.error).toMatchObject({ message: 'top level fails', line: 2 });
    const second = await onePool.run(hookRequest(script));
    expect(second.error).toMatchObject({ message: 'top level fails', line: 2 });
  });
});

// With one isolate every run of a key lands in the same context.
const onePool = createSandbox({ poolSize: 1 });
afterAll(() => onePool.dispose());
function createOnePoolRun(script: string) {
  return onePool.run(hookRequest(script));
}
