/**
 * Builds a plan's packages into a bundle, once per distinct plan: install, check, bundle, and keep
 * the result on disk by the plan's key (the bundle's own content hash travels with it), so a second
 * hook with the same packages builds instantly and a restart needs no network.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { version as esbuildVersion } from 'esbuild';
import type { PackageAllowlist } from './allowlist.ts';
import { bundleModules } from './bundle.ts';
import { PackageBuildError } from './errors.ts';
import { installPackages, type ResolvedPackage } from './install.ts';
import { SHIMS_DIR } from './node-modules.ts';
import type { PackagePlan } from './specs.ts';

export interface BuiltBundle {
  /** Names the bundle on disk: the plan's key and the toolchain's (`bundleKey`). */
  key: string;
  /** SHA-256 of `source`. */
  hash: string;
  source: string;
  packages: ResolvedPackage[];
}

export interface PackageBuilderOptions {
  /** Folder of the bundles, the registry cache and the work folders. */
  dir: string;
  registry: string;
  allow: PackageAllowlist;
  maxBundleBytes: number;
}

interface BundleMeta {
  hash: string;
  packages: ResolvedPackage[];
}

const BUNDLES_IN_MEMORY = 32;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * What else a bundle depends on: the shims' and the bundler's sources, esbuild's and the polyfills' versions.
 * Part of every bundle's key, so a new hookgate never serves a bundle an older one made.
 */
const TOOLCHAIN = sha256(
  [
    ...readdirSync(SHIMS_DIR).sort().map((file) => readFileSync(join(SHIMS_DIR, file), 'utf8')),
    // How bundles are made and which polyfill serves which module.
    ...['bundle.ts', 'node-modules.ts'].map((file) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')),
    readFileSync(createRequire(import.meta.url).resolve('node-stdlib-browser/package.json'), 'utf8'),
    esbuildVersion,
  ].join('\0'),
);

/** The key a plan's bundle is kept under. */
export const bundleKey = (plan: PackagePlan) => sha256(`${TOOLCHAIN}:${plan.key}`);

export class PackageBuilder {
  private readonly building = new Map<string, Promise<BuiltBundle>>();
  private readonly loaded = new Map<string, BuiltBundle>();
  private readonly bundlesDir: string;

  constructor(readonly options: PackageBuilderOptions) {
    this.bundlesDir = join(options.dir, 'bundles');
  }

  /** The bundle of a plan: from memory, from disk, or built now (concurrent builds of one plan share). */
  async build(plan: PackagePlan): Promise<BuiltBundle> {
    // Checked on every build, cached or not: the operator may have changed the limits since.
    const refused = Object.keys(plan.packages).filter((name) => !this.options.allow(name));
    if (refused.length > 0) {
      throw new PackageBuildError('PACKAGE_NOT_ALLOWED', `${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} not on this service's package allowlist`, refused[0]!);
    }
    const key = bundleKey(plan);
    const ready = this.load(key);
    if (ready !== null) return this.checkSize(ready);
    let pending = this.building.get(key);
    if (pending === undefined) {
      pending = this.buildNow(key, plan).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return this.checkSize(await pending);
  }

  private checkSize(bundle: BuiltBundle): BuiltBundle {
    const bytes = Buffer.byteLength(bundle.source);
    if (bytes > this.options.maxBundleBytes) {
      throw new PackageBuildError(
        'BUNDLE_TOO_LARGE',
        `The packages bundle to ${bytes} bytes, more than the ${this.options.maxBundleBytes} allowed (HOOKGATE_PACKAGES_MAX_BUNDLE_BYTES)`,
      );
    }
    return bundle;
  }

  /** Removes work folders a stopped process left mid-build (at start, before any build). */
  removeLeftovers(): void {
    rmSync(join(this.options.dir, 'work'), { recursive: true, force: true });
  }

  /** A bundle built earlier, by its key (`bundleKey`), or null; its content is checked against its hash. */
  load(key: string): BuiltBundle | null {
    const cached = this.loaded.get(key);
    if (cached !== undefined) {
      this.remember(cached);
      return cached;
    }
    const file = join(this.bundlesDir, `${key}.js`);
    if (!/^[0-9a-f]{64}$/.test(key) || !existsSync(file)) return null;
    try {
      const meta = JSON.parse(readFileSync(join(this.bundlesDir, `${key}.json`), 'utf8')) as BundleMeta;
      const source = readFileSync(file, 'utf8');
      if (sha256(source) !== meta.hash) return null;
      const bundle = { key, hash: meta.hash, source, packages: meta.packages };
      this.remember(bundle);
      return bundle;
    } catch {
      return null;
    }
  }

  private async buildNow(key: string, plan: PackagePlan): Promise<BuiltBundle> {
    const work = join(this.options.dir, 'work', `${key}-${process.pid}-${Date.now()}`);
    try {
      const packages =
        Object.keys(plan.packages).length === 0
          ? []
          : await installPackages(work, plan.packages, { registry: this.options.registry, cacheDir: join(this.options.dir, 'cache') });
      mkdirSync(work, { recursive: true });
      const source = await bundleModules({ modules: plan.modules, resolveDir: work }).catch((error: unknown) => {
        // esbuild's errors say which file of which package failed; the first one is the story.
        const first = (error as { errors?: { text: string; location?: { file: string } | null }[] }).errors?.[0];
        const where = first?.location?.file.replace(/^.*node_modules\//, '') ?? '';
        throw new PackageBuildError('BUNDLE_FAILED', `The packages could not be bundled: ${first ? `${where ? `${where}: ` : ''}${first.text}` : String(error)}`);
      });
      const bundle: BuiltBundle = { key, hash: sha256(source), source, packages };
      this.save(bundle);
      return bundle;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  private save(bundle: BuiltBundle): void {
    mkdirSync(this.bundlesDir, { recursive: true });
    const file = join(this.bundlesDir, `${bundle.key}.js`);
    // Written aside and renamed: a reader never sees half a bundle.
    writeFileSync(`${file}.tmp`, bundle.source);
    writeFileSync(join(this.bundlesDir, `${bundle.key}.json`), JSON.stringify({ hash: bundle.hash, packages: bundle.packages } satisfies BundleMeta));
    renameSync(`${file}.tmp`, file);
    this.remember(bundle);
  }

  /** Keeps the most recently used bundles in memory (they are megabytes each); the rest are read again. */
  private remember(bundle: BuiltBundle): void {
    this.loaded.delete(bundle.key);
    this.loaded.set(bundle.key, bundle);
    while (this.loaded.size > BUNDLES_IN_MEMORY) this.loaded.delete(this.loaded.keys().next().value!);
  }
}
