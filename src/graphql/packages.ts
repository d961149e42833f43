/** The package build of a hook version: its status, the exact versions it resolved, its error. */
import type { HookVersionRow } from '../db/schema.ts';
import { BUILD_ERROR_CODES, type BuildErrorInfo } from '../packages/errors.ts';
import { builder } from './builder.ts';
import { HookRef, HookStatus, HookVersionRef } from './hooks.ts';

const BuildErrorCode = builder.enumType('PackageBuildErrorCode', {
  description: 'Why a build of npm packages failed.',
  values: {
    PACKAGE_NOT_FOUND: { description: 'The registry has no such package.' },
    VERSION_NOT_FOUND: { description: 'No published version matches the version or range asked for.' },
    PACKAGE_NOT_ALLOWED: { description: 'The package is not on the service’s allowlist (HOOKGATE_PACKAGES_ALLOW).' },
    BUNDLE_TOO_LARGE: { description: 'The bundle is larger than HOOKGATE_PACKAGES_MAX_BUNDLE_BYTES.' },
    NATIVE_MODULE: { description: 'A package needs a native (C/C++) build, which hooks cannot load.' },
    INVALID_SPECIFIER: { description: 'A `require` names no npm package.' },
    VERSION_CONFLICT: { description: 'An inline `require(name@version)` disagrees with the dependencies.' },
    INTEGRITY_MISMATCH: { description: 'A downloaded tarball does not match the integrity the registry published.' },
    REGISTRY_UNAVAILABLE: { description: 'The registry could not be reached or answered an error.' },
    BUNDLE_FAILED: { description: 'The packages could not be bundled.' },
  } satisfies Record<(typeof BUILD_ERROR_CODES)[number], { description: string }>,
});

const BuildErrorRef = builder.objectRef<BuildErrorInfo>('PackageBuildError').implement({
  description: 'Why the build of a version’s packages failed.',
  fields: (t) => ({
    code: t.field({ type: BuildErrorCode, description: 'What went wrong.', resolve: (error) => error.code }),
    message: t.exposeString('message', { description: 'What went wrong, for people.' }),
    package: t.exposeString('package', { nullable: true, description: 'The package concerned, when there is one.' }),
  }),
});

const ResolvedPackageRef = builder.objectRef<{ name: string; version: string; integrity: string | null }>('ResolvedPackage').implement({
  description: 'A package as a build resolved it.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The package name.' }),
    version: t.exposeString('version', { description: 'The exact version installed.' }),
    integrity: t.exposeString('integrity', { nullable: true, description: 'The tarball’s integrity (SRI) the download was checked against.' }),
  }),
});

builder.objectFields(HookVersionRef, (t) => ({
  status: t.field({
    type: HookStatus,
    description: 'The build of this version’s packages.',
    resolve: (version: HookVersionRow) => version.buildStatus as 'QUEUED' | 'BUILDING' | 'READY' | 'FAILED',
  }),
  dependencies: t.field({ type: 'JSONObject', description: 'The npm packages this version asked for.', resolve: (version) => version.dependencies }),
  packages: t.field({
    type: [ResolvedPackageRef],
    description: 'The exact versions its build resolved (declared packages and those its script requires); empty until READY.',
    resolve: (version) => version.resolvedPackages ?? [],
  }),
  buildError: t.field({
    type: BuildErrorRef,
    nullable: true,
    description: 'Why the build failed; null unless FAILED.',
    resolve: (version) => (version.buildError as BuildErrorInfo | null) ?? null,
  }),
}));

builder.objectFields(HookRef, (t) => ({
  buildError: t.field({
    type: BuildErrorRef,
    nullable: true,
    description: 'Why the current version’s build failed; null unless `status` is FAILED.',
    resolve: async (hook, _args, ctx) =>
      ((await ctx.loaders.versionsByHook.load(hook.id)).find((v) => v.version === hook.version)?.buildError as BuildErrorInfo | null) ?? null,
  }),
  packages: t.field({
    type: [ResolvedPackageRef],
    description: 'The exact package versions the current version’s build resolved.',
    resolve: async (hook, _args, ctx) =>
      (await ctx.loaders.versionsByHook.load(hook.id)).find((v) => v.version === hook.version)?.resolvedPackages ?? [],
  }),
}));
