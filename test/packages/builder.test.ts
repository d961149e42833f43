/**
 * The build pipeline against a registry on 127.0.0.1 (fixture-registry.ts): resolution, the typed
 * errors, install scripts that must not run, native addons, the allowlist, the size limit,
 * integrity, and the cache (a second build and a restart need no network).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageAllowlist } from '../../src/packages/allowlist.ts';
import { PackageBuilder } from '../../src/packages/builder.ts';
import { PackageBuildError } from '../../src/packages/errors.ts';
import { planPackages } from '../../src/packages/specs.ts';
import { createSandbox } from '../../src/sandbox/index.ts';
import { startFixtureRegistry, type FixtureRegistry } from './fixture-registry.ts';

const marker = join(tmpdir(), `hookgate-install-script-ran-${process.pid}`);
// A file of the host a package tries to carry into its bundle.
const HOST_FILE = new URL('../../package.json', import.meta.url).pathname;
let registry: FixtureRegistry;
let dir: string;
const sandbox = createSandbox({ poolSize: 1 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hookgate-packages-'));
  const touch = `node -e "require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')"`;
  registry = await startFixtureRegistry([
    { name: 'hg-util', version: '1.0.0', files: { 'index.js': "exports.twice = (s) => s + s;" } },
    { name: 'hg-greet', version: '1.0.0', dependencies: { 'hg-util': '^1.0.0' }, files: { 'index.js': "const u = require('hg-util'); module.exports = (n) => 'hello ' + u.twice(n) + ' v1';" } },
    { name: 'hg-greet', version: '1.1.0', dependencies: { 'hg-util': '^1.0.0' }, files: { 'index.js': "const u = require('hg-util'); module.exports = (n) => 'hello ' + u.twice(n) + ' v1.1';" } },
    { name: '@hg/scoped', version: '2.0.0', files: { 'index.js': "module.exports = { scoped: true };", 'extra.js': "module.exports = 'subpath';" } },
    {
      name: 'hg-scripts',
      version: '1.0.0',
      scripts: { preinstall: touch, install: touch, postinstall: touch },
      files: { 'index.js': "module.exports = 'installed without scripts';" },
    },
    { name: 'hg-native', version: '1.0.0', gypfile: true, files: { 'index.js': "module.exports = require('./build/Release/addon.node');", 'binding.gyp': '{"targets":[]}' } },
    { name: 'hg-tampered', version: '1.0.0', files: { 'index.js': "module.exports = 1;" } },
    { name: 'hg-escape', version: '1.0.0', files: { 'index.js': `module.exports = require(${JSON.stringify(HOST_FILE)});` } },
    { name: 'hg-sneaky', version: '1.0.0', dependencies: { 'host-files': 'file:/etc' }, files: { 'index.js': "module.exports = require('host-files');" } },
  ]);
  registry.tamper('hg-tampered');
});

afterAll(async () => {
  await registry.close();
  await sandbox.dispose();
  rmSync(dir, { recursive: true, force: true });
  rmSync(marker, { force: true });
});

const builder = (options: { allow?: string[]; maxBundleBytes?: number } = {}) =>
  new PackageBuilder({ dir, registry: registry.url, allow: packageAllowlist(options.allow ?? []), maxBundleBytes: options.maxBundleBytes ?? 4 * 1024 * 1024 });

async function buildError(script: string, dependencies: Record<string, string> = {}, b = builder()): Promise<PackageBuildError> {
  const error = await planPackages(script, dependencies).then((plan) => b.build(plan!)).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PackageBuildError);
  return error as PackageBuildError;
}

async function run(script: string, dependencies: Record<string, string> = {}, b = builder()) {
  const plan = await planPackages(script, dependencies);
  const bundle = plan ? await b.build(plan) : undefined;
  const result = await sandbox.run({
    cacheKey: `${bundle?.hash}:${script}`,
    script,
    args: [{}],
    env: {},
    timeoutMs: 5000,
    bundle: bundle && { hash: bundle.hash, source: bundle.source },
  });
  return { bundle, result };
}

describe('package builds', () => {
  it('resolves declared ranges, inline versions, scoped names and subpaths, and records exact versions', async () => {
    const script = `
      const greet = require('hg-greet');
      const old = require('@hg/scoped@2.0.0');
      const sub = require('@hg/scoped/extra');
      module.exports = function (user, cb) { cb(null, { greeting: greet('x'), scoped: old.scoped, sub }); };`;
    const { bundle, result } = await run(script, { 'hg-greet': '^1.0.0' });
    expect(result.error ?? null).toBeNull();
    expect(result.response).toEqual({ greeting: 'hello xx v1.1', scoped: true, sub: 'subpath' });
    expect(bundle!.packages.map(({ name, version }) => `${name}@${version}`)).toEqual(['@hg/scoped@2.0.0', 'hg-greet@1.1.0']);
    expect(bundle!.packages[0]!.integrity).toMatch(/^sha512-/);
  });

  it('resolves a plain require of an undeclared package to its latest version, and an exact pin to that version', async () => {
    const latest = await run("const g = require('hg-greet'); module.exports = (u, cb) => cb(null, g('a'));");
    expect(latest.result.response).toBe('hello aa v1.1');
    const pinned = await run("const g = require('hg-greet@1.0.0'); module.exports = (u, cb) => cb(null, g('a'));");
    expect(pinned.result.response).toBe('hello aa v1');
    expect(pinned.bundle!.packages).toMatchObject([{ name: 'hg-greet', version: '1.0.0' }]);
  });

  it('never runs install scripts', async () => {
    const { result } = await run("module.exports = (u, cb) => cb(null, require('hg-scripts'));");
    expect(result.response).toBe('installed without scripts');
    expect(existsSync(marker)).toBe(false);
  });

  it('gives typed errors: unknown package, unknown version, native addon, not allowed, too large, tampered tarball, a file: dependency, conflict', async () => {
    expect((await buildError("require('hg-nope')")).code).toBe('PACKAGE_NOT_FOUND');
    const version = await buildError("require('hg-greet@9.9.9')");
    expect(version.code).toBe('VERSION_NOT_FOUND');
    expect(version.message).toContain('9.9.9');
    const native = await buildError("require('hg-native')");
    expect(native.code).toBe('NATIVE_MODULE');
    expect(native.packageName).toBe('hg-native');
    const refused = await buildError("require('hg-greet')", {}, builder({ allow: ['hg-util', '@hg/*'] }));
    expect(refused).toMatchObject({ code: 'PACKAGE_NOT_ALLOWED', packageName: 'hg-greet' });
    expect((await buildError("require('@hg/scoped@2.0.0'); require('crypto')", {}, builder({ maxBundleBytes: 2048 }))).code).toBe('BUNDLE_TOO_LARGE');
    expect((await buildError("require('hg-tampered')")).code).toBe('INTEGRITY_MISMATCH');
    const escape = await buildError("require('hg-escape')");
    expect(escape.code).toBe('BUNDLE_FAILED');
    expect(escape.message).toContain('outside the packages');
    // A registry package whose own dependency is a local folder of the host.
    expect(await buildError("require('hg-sneaky')")).toMatchObject({ code: 'INVALID_SPECIFIER', packageName: 'host-files' });
    expect((await buildError("require('hg-greet@1.0.0')", { 'hg-greet': '1.1.0' })).code).toBe('VERSION_CONFLICT');
  });

  it('builds a distinct set once: a second build and a restarted builder need no registry', async () => {
    const script = "const u = require('hg-util'); module.exports = (x, cb) => cb(null, u.twice('z'));";
    const first = await run(script);
    const before = registry.requests.length;
    const again = await builder().build((await planPackages(script, {}))!);
    expect(again.hash).toBe(first.bundle!.hash);
    expect(registry.requests.length).toBe(before);
    // A restart: a new builder on the same folder, the registry gone.
    await registry.close();
    const restarted = builder();
    expect(restarted.load(first.bundle!.key)?.hash).toBe(first.bundle!.hash);
    const { result } = await run(script, {}, restarted);
    expect(result.response).toBe('zz');
    registry = await startFixtureRegistry([]);
  });
});
