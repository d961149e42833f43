/**
 * Builds hook versions' packages off the request path, one at a time, and records each build on
 * its version (QUEUED → BUILDING → READY | FAILED, the resolved versions, the typed error); the
 * hook's `status` follows its newest version. Builds left QUEUED or BUILDING by a stopped process
 * are resumed at the next start. Runs get their version's bundle here.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { hooks, hookVersions, type HookVersionRow } from '../db/schema.ts';
import type { RunBundle, RunError } from '../sandbox/types.ts';
import type { PackageBuilder } from './builder.ts';
import { buildErrorInfo, type BuildErrorInfo } from './errors.ts';
import { planPackages, USES_BUFFER } from './specs.ts';

export type BuildStatus = 'QUEUED' | 'BUILDING' | 'READY' | 'FAILED';

/** What a run needs to know about the packages of the script it runs. */
export interface PackagesOfRun {
  /** Null for a draft of the Runner. */
  version: Pick<HookVersionRow, 'id' | 'buildStatus' | 'bundleKey' | 'buildError'> | null;
  script: string;
  dependencies: Record<string, string>;
}

export type BundleOutcome = { bundle?: RunBundle; error?: undefined } | { error: RunError };

/** A cheap first look, on the request path: may this script need a build? The build decides. */
export function mayNeedBuild(script: string, dependencies: Record<string, string>): boolean {
  return Object.keys(dependencies).length > 0 || /\brequire\s*\(/.test(script) || USES_BUFFER.test(script);
}

function notReadyError(status: string, error: BuildErrorInfo | null): RunError {
  if (status === 'FAILED' && error) {
    return { name: 'PackageBuildError', message: `The hook's packages failed to build (${error.code}): ${error.message}` };
  }
  return { name: 'HookNotReady', message: `The hook's packages are not built yet (${status}); no earlier version is ready to serve` };
}

export type BuildQueue = ReturnType<typeof createBuildQueue>;

/** What the service logs of each build. */
export interface BuildReport {
  versionId: string;
  hookId: string;
  status: 'READY' | 'FAILED';
  durationMs: number;
  packages: string[];
  error: BuildErrorInfo | null;
}

export function createBuildQueue(db: Db, builder: PackageBuilder, report: (event: BuildReport) => void = () => {}) {
  const pending = new Map<string, Promise<void>>();
  let tail: Promise<void> = Promise.resolve();
  // Read by every dispatch: prepared once instead of built and compiled per call.
  const newestReady = db
    .select()
    .from(hookVersions)
    .where(and(eq(hookVersions.hookId, sql.placeholder('hookId')), eq(hookVersions.buildStatus, 'READY')))
    .orderBy(desc(hookVersions.version))
    .limit(1)
    .prepare();

  function record(versionId: string, fields: Partial<HookVersionRow>) {
    db.transaction(() => {
      const version = db.update(hookVersions).set(fields).where(eq(hookVersions.id, versionId)).returning().get();
      if (version && fields.buildStatus) {
        db.update(hooks)
          .set({ status: fields.buildStatus })
          .where(and(eq(hooks.id, version.hookId), eq(hooks.version, version.version)))
          .run();
      }
    });
  }

  async function buildOne(versionId: string): Promise<void> {
    const version = db.select().from(hookVersions).where(eq(hookVersions.id, versionId)).get();
    if (!version || (version.buildStatus !== 'QUEUED' && version.buildStatus !== 'BUILDING')) return;
    record(versionId, { buildStatus: 'BUILDING' });
    const started = performance.now();
    const base = { versionId, hookId: version.hookId };
    try {
      const plan = await planPackages(version.script, version.dependencies);
      const bundle = plan === null ? null : await builder.build(plan);
      record(versionId, { buildStatus: 'READY', bundleKey: bundle?.key ?? null, resolvedPackages: bundle?.packages ?? [], buildError: null });
      const packages = (bundle?.packages ?? []).map((p) => `${p.name}@${p.version}`);
      report({ ...base, status: 'READY', durationMs: Math.round(performance.now() - started), packages, error: null });
    } catch (error) {
      const info = buildErrorInfo(error);
      record(versionId, { buildStatus: 'FAILED', buildError: info });
      report({ ...base, status: 'FAILED', durationMs: Math.round(performance.now() - started), packages: [], error: info });
    }
  }

  function enqueue(versionId: string): Promise<void> {
    let build = pending.get(versionId);
    if (build === undefined) {
      // One build at a time: they install and bundle, which is the machine's work, not the request's.
      build = tail.then(() => buildOne(versionId)).finally(() => pending.delete(versionId));
      tail = build.catch(() => undefined);
      pending.set(versionId, build);
    }
    return build;
  }

  async function draftBundle(script: string, dependencies: Record<string, string>): Promise<BundleOutcome> {
    try {
      const plan = await planPackages(script, dependencies);
      if (plan === null) return {};
      const bundle = await builder.build(plan);
      return { bundle: { hash: bundle.hash, source: bundle.source } };
    } catch (error) {
      const info = buildErrorInfo(error);
      return { error: { name: 'PackageBuildError', message: `The draft's packages failed to build (${info.code}): ${info.message}` } };
    }
  }

  return {
    enqueue,

    /** Resolves once the version's build has ended (at once when it is not building). */
    async settled(versionId: string): Promise<void> {
      const version = db.select({ status: hookVersions.buildStatus }).from(hookVersions).where(eq(hookVersions.id, versionId)).get();
      if (version && (version.status === 'QUEUED' || version.status === 'BUILDING')) await enqueue(versionId);
    },

    /** Builds left unfinished by a stopped process: queued again. */
    resume(): number {
      builder.removeLeftovers();
      const unfinished = db
        .select({ id: hookVersions.id })
        .from(hookVersions)
        .where(inArray(hookVersions.buildStatus, ['QUEUED', 'BUILDING']))
        .orderBy(hookVersions.id)
        .all();
      for (const { id } of unfinished) void enqueue(id);
      return unfinished.length;
    },

    /** The newest version of a hook whose build is READY: the one dispatches run while an update builds. */
    servingVersion(hookId: string): HookVersionRow | undefined {
      return newestReady.get({ hookId });
    },

    /** The bundle a run loads: a saved version's (from the cache, rebuilt if it went missing) or a draft's. */
    async bundleFor(run: PackagesOfRun): Promise<BundleOutcome> {
      const { version } = run;
      if (version === null) return draftBundle(run.script, run.dependencies);
      if (version.buildStatus !== 'READY') return { error: notReadyError(version.buildStatus, version.buildError as BuildErrorInfo | null) };
      if (version.bundleKey === null) return {};
      const bundle = builder.load(version.bundleKey);
      if (bundle !== null) return { bundle: { hash: bundle.hash, source: bundle.source } };
      return draftBundle(run.script, run.dependencies);
    },

    /** Resolves when no build is waiting or running (tests, shutdown), builds queued meanwhile included. */
    async idle(): Promise<void> {
      while (pending.size > 0) await tail;
    },
  };
}
