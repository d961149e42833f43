/**
 * Installs a plan's packages into a work folder with npm's own installer (Arborist, over pacote):
 * versions resolved from the registry, tarballs checked against their integrity, cached in a
 * cacache folder (a later build of the same versions needs no network), and install scripts never
 * run. Packages that need a native build are refused.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import { PackageBuildError } from './errors.ts';

export interface ResolvedPackage {
  name: string;
  version: string;
  /** The tarball's integrity (SRI) as the registry published it. */
  integrity: string | null;
}

export interface InstallOptions {
  registry: string;
  /** cacache folder shared by every build. */
  cacheDir: string;
}

/** Packages in the tree that cannot work without a native build. */
function nativeModules(tree: Arborist.Node): string[] {
  const found: string[] = [];
  for (const node of tree.inventory.values()) {
    if (node.isRoot) continue;
    const pkg = node.package as { gypfile?: boolean; scripts?: Record<string, string>; binary?: unknown };
    const installScript = [pkg.scripts?.preinstall, pkg.scripts?.install].join(' ');
    const native =
      pkg.gypfile === true ||
      pkg.binary !== undefined ||
      /node-gyp|prebuild|node-pre-gyp/.test(installScript) ||
      existsSync(join(node.path, 'binding.gyp')) ||
      hasNodeFile(node.path);
    // An optional dependency that needs a native build is left out, as npm leaves out one that fails.
    if (native && !node.optional) found.push(`${node.name}@${node.version}`);
  }
  return found;
}

function hasNodeFile(folder: string): boolean {
  for (const sub of ['', 'build/Release', 'prebuilds']) {
    try {
      if (readdirSync(join(folder, sub), { recursive: sub !== '' }).some((file) => String(file).endsWith('.node'))) return true;
    } catch {
      // no such folder
    }
  }
  return false;
}

function registryError(error: unknown, packages: Record<string, string>): PackageBuildError {
  const failure = error as { code?: string; message?: string; pkgid?: string; spec?: string };
  const spec = failure.pkgid ?? failure.spec ?? null;
  if (failure.code === 'E404') {
    const name = spec === null ? null : spec.replace(/@[^@/]*$/, '') || spec;
    return new PackageBuildError('PACKAGE_NOT_FOUND', name === null ? 'A package is not in the registry' : `The package ${name} is not in the registry`, name);
  }
  if (failure.code === 'ETARGET') {
    const match = /No matching version found for (\S+?)@(\S+?)\.?$/m.exec(failure.message ?? '');
    const name = match?.[1] ?? spec;
    const range = match?.[2] ?? (name !== null ? packages[name] : undefined);
    return new PackageBuildError('VERSION_NOT_FOUND', `No version of ${name} matches ${range}`, name);
  }
  if (failure.code === 'EINTEGRITY') {
    return new PackageBuildError('INTEGRITY_MISMATCH', `A downloaded tarball does not match the integrity the registry published: ${failure.message}`, spec);
  }
  return new PackageBuildError('REGISTRY_UNAVAILABLE', `The registry could not be read: ${failure.message ?? String(error)}`, spec);
}

/** Installs `packages` into `folder`/node_modules and returns the versions of the declared ones. */
export async function installPackages(folder: string, packages: Record<string, string>, options: InstallOptions): Promise<ResolvedPackage[]> {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'hookgate-packages', private: true, dependencies: packages }));
  const arborist = new Arborist({
    path: folder,
    registry: options.registry,
    cache: options.cacheDir,
    ignoreScripts: true,
    audit: false,
    fund: false,
    save: false,
    progress: false,
    preferOnline: false,
    // Peer dependencies a package names are the hook's business, not this install's.
    legacyPeerDeps: true,
  } as Arborist.Options);
  let tree: Arborist.Node;
  try {
    // Every package must come from the registry as a tarball: a dependency spec of `file:` or git
    // (in a package's own dependencies too) would reach the host's files or other networks.
    const ideal = await arborist.buildIdealTree();
    for (const node of ideal.inventory.values()) {
      if (node.isRoot) continue;
      if (node.isLink || typeof node.resolved !== 'string' || !/^https?:\/\//.test(node.resolved)) {
        throw new PackageBuildError('INVALID_SPECIFIER', `${node.name} is not a package of the registry (${node.resolved ?? 'a local or git dependency'})`, node.name);
      }
    }
    tree = await arborist.reify();
  } catch (error) {
    if (error instanceof PackageBuildError) throw error;
    throw registryError(error, packages);
  }
  const native = nativeModules(tree);
  if (native.length > 0) {
    throw new PackageBuildError(
      'NATIVE_MODULE',
      `${native.join(', ')} ${native.length === 1 ? 'needs' : 'need'} a native (C/C++) build, which hooks cannot load`,
      native[0]!.replace(/@[^@]*$/, ''),
    );
  }
  return Object.keys(packages)
    .sort()
    .map((name) => {
      const node = tree.children.get(name);
      return { name, version: node?.version ?? 'unknown', integrity: node?.integrity ?? null };
    });
}
