/**
 * Hooks with packages through the API, against a registry on 127.0.0.1: the status a save starts
 * (QUEUED), its build (READY with exact versions, or FAILED with a typed error), the last READY
 * version serving while an update builds or after it failed, and the Runner waiting for builds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageAllowlist } from '../../src/packages/allowlist.ts';
import { PackageBuilder } from '../../src/packages/builder.ts';
import { createTestApp, runHook, type TestApp } from '../helpers.ts';
import { startFixtureRegistry, type FixtureRegistry } from './fixture-registry.ts';
import { startReceiver } from './receiver.ts';

let registry: FixtureRegistry;
let dir: string;
let app: TestApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hookgate-hook-builds-'));
  registry = await startFixtureRegistry([
    { name: 'hg-greet', version: '1.0.0', files: { 'index.js': "module.exports = (n) => 'hello ' + n + ' from 1.0.0';" } },
    { name: 'hg-greet', version: '1.1.0', files: { 'index.js': "module.exports = (n) => 'hello ' + n + ' from 1.1.0';" } },
    { name: 'hg-native', version: '1.0.0', gypfile: true, files: { 'index.js': "module.exports = require('./build/Release/addon.node');", 'binding.gyp': '{}' } },
  ]);
  const packages = new PackageBuilder({ dir, registry: registry.url, allow: packageAllowlist([]), maxBundleBytes: 4 * 1024 * 1024 });
  app = createTestApp({ packages });
});

afterAll(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const HOOK_FIELDS = `id status version dependencies buildError { code message package } packages { name version integrity }
  versions { version status dependencies packages { name version } buildError { code } }`;
const CREATE = `mutation($input: CreateHookInput!) { createHook(input: $input) { __typename ... on Error { message } ... on CreateHookSuccess { hook { ${HOOK_FIELDS} } } } }`;
const UPDATE = `mutation($input: UpdateHookInput!) { updateHook(input: $input) { __typename ... on Error { message } ... on UpdateHookSuccess { hook { ${HOOK_FIELDS} } } } }`;
const READ = `query($id: ID!) { hook(id: $id) { ${HOOK_FIELDS} } }`;
const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) { __typename ... on DispatchTriggerSuccess { outcome response executions { status error { name message } } } } }`;

const GREET = `const greet = require('hg-greet');
module.exports = function (user, context, cb) { cb(null, { user: { app_metadata: { greeting: greet(user.username) } } }); };`;

async function settled(id: string) {
  await app.services.builds!.idle();
  return (await app.ok(READ, { id })).hook;
}

async function dispatch() {
  const payload = { user: { username: 'ada', email: 'ada@example.com' }, context: {} };
  return (await app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload } })).dispatchTrigger;
}

describe('hooks with packages', () => {
  it('builds off the request path: QUEUED when saved, then READY with the exact versions; the last READY version serves while an update fails', async () => {
    const created = (await app.ok(CREATE, { input: { name: 'greeter', triggerId: 'pre-user-registration', script: GREET, dependencies: { 'hg-greet': '~1.0.0' } } })).createHook;
    expect(created.__typename).toBe('CreateHookSuccess');
    expect(created.hook).toMatchObject({ status: 'QUEUED', dependencies: { 'hg-greet': '~1.0.0' }, packages: [] });

    const ready = await settled(created.hook.id);
    expect(ready).toMatchObject({ status: 'READY', buildError: null, packages: [{ name: 'hg-greet', version: '1.0.0' }] });
    expect(ready.packages[0].integrity).toMatch(/^sha512-/);
    expect((await dispatch()).response).toEqual({ user: { app_metadata: { greeting: 'hello ada from 1.0.0' } } });

    // An update to a version that does not exist: a new version, FAILED, and version 1 keeps serving.
    const updated = (await app.ok(UPDATE, { input: { id: created.hook.id, dependencies: { 'hg-greet': '9.9.9' } } })).updateHook;
    expect(updated.hook).toMatchObject({ status: 'QUEUED', version: 2 });
    const failed = await settled(created.hook.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.buildError).toMatchObject({ code: 'VERSION_NOT_FOUND', package: 'hg-greet' });
    expect(failed.buildError.message).toContain('9.9.9');
    expect(failed.versions.map((v: any) => [v.version, v.status])).toEqual([[2, 'FAILED'], [1, 'READY']]);
    expect((await dispatch()).response).toEqual({ user: { app_metadata: { greeting: 'hello ada from 1.0.0' } } });

    // The Runner runs the newest version: it says why it cannot.
    const run = await runHook(app, { hookId: created.hook.id });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ name: 'PackageBuildError' });
    expect(run.error.message).toContain('VERSION_NOT_FOUND');

    // Fixed: the new version serves once built.
    await app.ok(UPDATE, { input: { id: created.hook.id, dependencies: { 'hg-greet': '^1.1.0' } } });
    const fixed = await settled(created.hook.id);
    expect(fixed).toMatchObject({ status: 'READY', version: 3, packages: [{ name: 'hg-greet', version: '1.1.0' }] });
    expect((await dispatch()).response).toEqual({ user: { app_metadata: { greeting: 'hello ada from 1.1.0' } } });
  });

  it('refuses dependencies the registry cannot answer (file:, git, URLs) when the hook is saved', async () => {
    const refused = (await app.ok(CREATE, { input: { name: 'local', triggerId: 'send-phone-message', script: 'module.exports = (r, t, c, cb) => cb();', dependencies: { x: 'file:/etc' } } })).createHook;
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.message).toContain('not file:, git or URL');
  });

  it('gives the typed error of a native addon and of an unknown package', async () => {
    const native = (await app.ok(CREATE, { input: { name: 'native', triggerId: 'post-user-registration', script: "const a = require('hg-native'); module.exports = (u, c, cb) => cb();" } })).createHook;
    expect((await settled(native.hook.id)).buildError).toMatchObject({ code: 'NATIVE_MODULE', package: 'hg-native' });
    const unknown = (await app.ok(CREATE, { input: { name: 'unknown', triggerId: 'post-change-password', script: "module.exports = (u, c, cb) => cb();", dependencies: { 'hg-nope': '1.0.0' } } })).createHook;
    expect((await settled(unknown.hook.id)).buildError).toMatchObject({ code: 'PACKAGE_NOT_FOUND', package: 'hg-nope' });
  });

  it('runs a draft with packages in the Runner, waiting for its build', async () => {
    const hook = (await app.ok(CREATE, { input: { name: 'drafts', triggerId: 'credentials-exchange', script: 'module.exports = (c, s, a, ctx, cb) => cb(null, {});' } })).createHook.hook;
    expect(hook.status).toBe('READY');
    const draft = "const greet = require('hg-greet@1.1.0'); module.exports = function (client, scope, audience, context, cb) { console.log(greet('draft')); cb(null, {}); };";
    const execution = await runHook(app, { hookId: hook.id, script: draft });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.logs.edges.map((e: any) => e.node.message)).toEqual(['hello draft from 1.1.0']);
    const pinned = await runHook(app, {
      hookId: hook.id,
      script: "const greet = require('hg-greet'); module.exports = (c, s, a, ctx, cb) => { console.log(greet('pinned')); cb(null, {}); };",
      dependencies: { 'hg-greet': '1.0.0' },
    });
    expect(pinned.logs.edges.map((e: any) => e.node.message)).toEqual(['hello pinned from 1.0.0']);
    const broken = await runHook(app, { hookId: hook.id, script: "require('hg-greet@7.0.0'); module.exports = (c, s, a, ctx, cb) => cb(null, {});" });
    expect(broken.status).toBe('FAILED');
    expect(broken.error.message).toContain('VERSION_NOT_FOUND');
  });

  it('records on the execution the console lines of requests that outlive the answer', async () => {
    const receiver = await startReceiver();
    try {
      const script = `const https = require('http');
        module.exports = function (user, context, cb) {
          https.get(context.webtask.secrets.URL, (res) => { res.resume(); res.on('end', () => console.log('notified', res.statusCode)); });
          cb(null, user, context);
        };`;
      const hook = (await app.ok(CREATE, { input: { name: 'notify', triggerId: 'post-change-password', script } })).createHook.hook;
      await app.services.builds!.idle();
      await app.ok(`mutation($input: SetHookSecretsInput!) { setHookSecrets(input: $input) { __typename } }`, {
        input: { hookId: hook.id, secrets: [{ name: 'URL', value: `${receiver.url}/hold` }] },
      });
      // The receiver holds the request: the run has answered before the request can end.
      const execution = await runHook(app, { hookId: hook.id, payload: { user: { id: 'u1' }, context: {} } });
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.logs.edges).toEqual([]);
      await receiver.next('/hold');
      const lines = app.services.events.subscribe('execution:stream', decodeGlobalID(execution.id).id);
      receiver.release();
      for await (const event of lines) {
        if ('line' in event) {
          expect(event.line.message).toBe('notified 200');
          break;
        }
      }
      const read = await app.ok(`query($id: ID!) { execution(id: $id) { logs { edges { node { message } } } } }`, { id: execution.id });
      expect(read.execution.logs.edges.map((e: any) => e.node.message)).toEqual(['notified 200']);
    } finally {
      await receiver.close();
    }
  });
});
