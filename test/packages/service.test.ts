/**
 * The composition root wires packages from the settings: HOOKGATE_NPM_REGISTRY (a registry on
 * 127.0.0.1), HOOKGATE_PACKAGES_DIR and HOOKGATE_PACKAGES_ALLOW, and logs each build.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestService } from '../ops/service-helpers.ts';
import { startFixtureRegistry } from './fixture-registry.ts';

const CREATE = `mutation($input: CreateHookInput!) { createHook(input: $input) { ... on CreateHookSuccess { hook { id status } } ... on Error { message } } }`;
const READ = `query($id: ID!) { hook(id: $id) { status buildError { code package } packages { name version } } }`;
const RUN = `mutation($id: ID!) { runHook(input: { hookId: $id }) { ... on RunHookSuccess { execution { status response error { message } } } } }`;

describe('packages in the service', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-service-packages-'));
  const registry = await startFixtureRegistry([
    { name: 'hg-greet', version: '1.0.0', files: { 'index.js': "module.exports = (n) => 'hello ' + n;" } },
    { name: 'left-pad', version: '1.3.0', files: { 'index.js': 'module.exports = (s) => s;' } },
  ]);
  const { service, gql, logs } = await startTestService({ HOOKGATE_NPM_REGISTRY: registry.url, HOOKGATE_PACKAGES_DIR: dir, HOOKGATE_PACKAGES_ALLOW: 'hg-*' });
  afterAll(async () => {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds from the configured registry into the configured folder, within the allowlist, and logs each build', async () => {
    const allowed = (await gql(CREATE, { input: { name: 'greet', triggerId: 'user-migration', script: "exports.handler = async () => ({ success: true, user: { name: require('hg-greet')('svc') } });" } })).createHook.hook;
    const refused = (await gql(CREATE, { input: { name: 'pad', triggerId: 'pre-authentication', script: "const pad = require('left-pad'); exports.handler = async (c) => ({ success: true, user: c.user });" } })).createHook.hook;
    expect([allowed.status, refused.status]).toEqual(['QUEUED', 'QUEUED']);
    await service.services.builds!.idle();

    expect((await gql(READ, { id: allowed.id })).hook).toEqual({ status: 'READY', buildError: null, packages: [{ name: 'hg-greet', version: '1.0.0' }] });
    expect((await gql(READ, { id: refused.id })).hook).toMatchObject({ status: 'FAILED', buildError: { code: 'PACKAGE_NOT_ALLOWED', package: 'left-pad' } });
    expect(existsSync(join(dir, 'bundles'))).toBe(true);
    expect(registry.requests).toContain('/hg-greet');
    expect(registry.requests).not.toContain('/left-pad');

    const run = (await gql(RUN, { id: allowed.id })).runHook.execution;
    expect(run).toEqual({ status: 'SUCCEEDED', response: { success: true, user: { name: 'hello svc' } }, error: null });

    const builds = logs.lines.filter((line) => line.event === 'package-build');
    expect(builds.map((line) => [line.status, line.packages, line.error?.code ?? null])).toEqual(
      expect.arrayContaining([['READY', ['hg-greet@1.0.0'], null], ['FAILED', [], 'PACKAGE_NOT_ALLOWED']]),
    );
  });
});
