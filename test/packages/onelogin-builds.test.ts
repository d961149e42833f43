/**
 * OneLogin's hook statuses follow the build of `packages` (registry on 127.0.0.1): create-queued →
 * ready, update-queued → update-failed; and builds a stopped process left unfinished resume.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { hookVersions } from '../../src/db/schema.ts';
import { packageAllowlist } from '../../src/packages/allowlist.ts';
import { PackageBuilder } from '../../src/packages/builder.ts';
import { createTestApp } from '../helpers.ts';
import { startFixtureRegistry } from './fixture-registry.ts';

const SCRIPT = "exports.handler = async (context) => {\n  const greet = require('hg-greet');\n  console.log(greet(process.env.WHO));\n  return { success: true, user: context.user };\n};\n";
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('OneLogin packages and build statuses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-onelogin-builds-'));
  const registry = await startFixtureRegistry([{ name: 'hg-greet', version: '1.0.0', files: { 'index.js': "module.exports = (n) => 'hello ' + n;" } }]);
  const packages = new PackageBuilder({ dir, registry: registry.url, allow: packageAllowlist([]), maxBundleBytes: 1024 * 1024 });
  const app = createTestApp({ packages });
  /** A REST call through yoga.fetch (the dialects are a yoga plugin), failing unless the status is `expected`. */
  async function expectStatus(expected: number, method: string, path: string, options: { body?: unknown } = {}) {
    const response = await app.yoga.fetch(`http://hookgate.test${path}`, {
      method,
      headers: { authorization: `Bearer ${app.adminToken}`, ...(options.body ? { 'content-type': 'application/json' } : {}) },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    const body = await response.json();
    if (response.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${response.status} ${JSON.stringify(body)}`);
    return body as any;
  }
  afterAll(async () => {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers create-queued, then ready; an update to a missing version is update-queued, then update-failed', async () => {
    const body = { type: 'pre-authentication', function: base64(SCRIPT), disabled: false, runtime: 'nodejs', env_vars: ['WHO'], packages: { 'hg-greet': '1.0.0' } };
    const created = await expectStatus(201, 'POST', '/api/2/hooks', { body });
    expect(created).toMatchObject({ status: 'create-queued', packages: { 'hg-greet': '1.0.0' } });
    await app.services.builds!.idle();
    expect(await expectStatus(200, 'GET', `/api/2/hooks/${created.id}`)).toMatchObject({ status: 'ready' });

    const updated = await expectStatus(200, 'PUT', `/api/2/hooks/${created.id}`, { body: { ...body, packages: { 'hg-greet': '9.9.9' } } });
    expect(updated.status).toBe('update-queued');
    await app.services.builds!.idle();
    expect(await expectStatus(200, 'GET', `/api/2/hooks/${created.id}`)).toMatchObject({ status: 'update-failed' });
  });

  it('resumes builds a stopped process left QUEUED or BUILDING', async () => {
    const hook = await app.services.hooks.create(app.services.tokens.authenticate(app.adminToken), {
      name: 'resumed', triggerId: 'user-migration', script: "exports.handler = async () => ({ success: true, user: require('hg-greet')('x') });",
    });
    await app.services.builds!.idle();
    // As a crash mid-build leaves it.
    app.db.update(hookVersions).set({ buildStatus: 'BUILDING', bundleKey: null }).where(eq(hookVersions.hookId, hook.id)).run();
    expect(app.services.builds!.resume()).toBe(1);
    await app.services.builds!.idle();
    const version = app.db.select().from(hookVersions).where(eq(hookVersions.hookId, hook.id)).get()!;
    expect(version).toMatchObject({ buildStatus: 'READY', resolvedPackages: [{ name: 'hg-greet', version: '1.0.0' }] });
    expect(version.bundleKey).toMatch(/^[0-9a-f]{64}$/);
  });
});
