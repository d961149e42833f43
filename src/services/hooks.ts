import { and, count, eq, inArray, ne, sql } from 'drizzle-orm';
import { hooks, hookVersions, type HookRow, type HookVersionRow } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { TriggerDefinition } from '../triggers/index.ts';
import { authorize, type Viewer } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { EnabledHookLimitError, HookTypeTakenError, LimitExceededError, NameTakenError, NotFoundError, ScriptSyntaxError, ValidationError } from './errors.ts';
import {
  checkContextVersion,
  checkOptions,
  checkTimeout,
  createHookInput,
  givenScript,
  triggerOf,
  updateHookInput,
  type CreateHookInput,
  type UpdateHookInput,
} from './hook-input.ts';
import { keysetOrder, keysetWhere, type Page } from './pagination.ts';
import { parseInput } from './validation.ts';
import { mayNeedBuild, type BuildQueue } from '../packages/build-queue.ts';

function sameDependencies(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

export const MAX_HOOKS_PER_TENANT = 200;

export interface HookFilter {
  triggerId?: string | null;
  enabled?: boolean | null;
  nameContains?: string | null;
}

/** How a create treats the trigger and the name, for a vendor API whose rules are not GraphQL's. */
export interface CreateRules {
  /** OneLogin: a trigger holds at most its maxEnabledHooks hooks, enabled or not (else HookTypeTakenError). */
  onePerTrigger?: boolean;
  /** OneLogin hooks have no name: a taken one is numbered (`pre-authentication-2`) rather than refused. */
  numberTakenName?: boolean;
}

export type HookService = ReturnType<typeof createHookService>;

function filterWhere(tenantId: string, filter: HookFilter) {
  const pattern = filter.nameContains ? `%${filter.nameContains.replace(/[%_\\]/g, '\\$&')}%` : undefined;
  return and(
    eq(hooks.tenantId, tenantId),
    filter.triggerId ? eq(hooks.triggerId, filter.triggerId) : undefined,
    typeof filter.enabled === 'boolean' ? eq(hooks.enabled, filter.enabled) : undefined,
    pattern ? sql`${hooks.name} LIKE ${pattern} ESCAPE '\\'` : undefined,
  );
}

export function createHookService({ db, clock, sandbox }: ServiceDeps, builds: BuildQueue | null = null) {
  /** The given script, once it compiles (checked off the main thread). */
  async function compiled(input: { script?: string; scriptBase64?: string }): Promise<string | undefined> {
    const script = givenScript(input);
    if (script === undefined) return undefined;
    const problem = await sandbox.checkSyntax(script);
    if (problem) throw new ScriptSyntaxError(problem.message, problem.line, problem.column);
    return script;
  }

  function checkNameFree(tenantId: string, name: string, exceptId?: string) {
    const taken = db
      .select({ id: hooks.id })
      .from(hooks)
      .where(and(eq(hooks.tenantId, tenantId), eq(hooks.name, name), exceptId ? ne(hooks.id, exceptId) : undefined))
      .get();
    if (taken) throw new NameTakenError('input.name', name);
  }

  /** The name, or the first of `name-2`, `name-3`… no hook of the tenant holds. */
  function freeName(tenantId: string, name: string): string {
    const holders = db.select({ name: hooks.name }).from(hooks).where(filterWhere(tenantId, { nameContains: name })).all();
    const taken = new Set(holders.map((row) => row.name));
    let free = name;
    for (let n = 2; taken.has(free); n++) free = `${name}-${n}`;
    return free;
  }

  function hookCountOfTrigger(tenantId: string, triggerId: string): number {
    return db.select({ n: count() }).from(hooks).where(filterWhere(tenantId, { triggerId })).get()!.n;
  }

  /** The other enabled hooks of a trigger, when one more would pass the trigger's limit. */
  function enabledBlocker(tenantId: string, trigger: TriggerDefinition, exceptId?: string) {
    const enabled = db
      .select({ id: hooks.id, name: hooks.name })
      .from(hooks)
      .where(
        and(
          eq(hooks.tenantId, tenantId),
          eq(hooks.triggerId, trigger.id),
          eq(hooks.enabled, true),
          exceptId ? ne(hooks.id, exceptId) : undefined,
        ),
      )
      .orderBy(hooks.id)
      .all();
    return enabled.length >= trigger.maxEnabledHooks ? enabled[0] : undefined;
  }

  /** Adds a version; its status is QUEUED when its packages may need a build (started once committed). */
  function addVersion(hookId: string, version: number, script: string, dependencies: Record<string, string>) {
    const buildStatus = builds !== null && mayNeedBuild(script, dependencies) ? 'QUEUED' : 'READY';
    const id = newId();
    db.insert(hookVersions).values({ id, hookId, version, script, dependencies, buildStatus, createdAt: clock.now() }).run();
    return { id, buildStatus };
  }

  /** Starts the build of a version made by a committed transaction (after a rolled-back one, it finds none). */
  function startBuild(added: { id: string; buildStatus: string } | null) {
    if (added !== null && added.buildStatus === 'QUEUED') void builds?.enqueue(added.id);
  }

  // Every run looks its hook up: prepared once rather than built per call.
  const hookOfTenant = db
    .select()
    .from(hooks)
    .where(and(eq(hooks.id, sql.placeholder('id')), eq(hooks.tenantId, sql.placeholder('tenantId'))))
    .prepare();

  const versionOfHook = db
    .select()
    .from(hookVersions)
    .where(and(eq(hookVersions.hookId, sql.placeholder('hookId')), eq(hookVersions.version, sql.placeholder('version'))))
    .prepare();

  /** A version of a hook by its number (the hook id comes from a tenant-scoped row). */
  function versionOf(hookId: string, version: number): HookVersionRow | undefined {
    return versionOfHook.get({ hookId, version });
  }

  /** The tenant's hook, or NotFoundError (another tenant's hook is simply not found). */
  function find(tenantId: string, id: string): HookRow {
    const row = hookOfTenant.get({ id, tenantId });
    if (!row) throw new NotFoundError('Hook', id);
    return row;
  }

  function insertHook(tenantId: string, input: CreateHookInput, script: string | undefined, rules: CreateRules = {}): HookRow {
    const trigger = triggerOf(input.triggerId);
    if (script === undefined) throw new ValidationError('input.script', 'input.script: a script (or scriptBase64) is required');
    checkTimeout(trigger, input.timeoutMs);
    checkOptions(trigger, input.options);
    checkContextVersion(trigger, input.contextVersion);
    let added: { id: string; buildStatus: string } | null = null;
    const created = db.transaction(() => {
      if (rules.onePerTrigger && hookCountOfTrigger(tenantId, trigger.id) >= trigger.maxEnabledHooks) throw new HookTypeTakenError(trigger.id);
      const name = rules.numberTakenName ? freeName(tenantId, input.name) : input.name;
      checkNameFree(tenantId, name);
      const existing = db.select({ n: count() }).from(hooks).where(eq(hooks.tenantId, tenantId)).get()!.n;
      if (existing >= MAX_HOOKS_PER_TENANT) {
        throw new LimitExceededError('input', MAX_HOOKS_PER_TENANT, `A tenant holds at most ${MAX_HOOKS_PER_TENANT} hooks`);
      }
      const blocker = enabledBlocker(tenantId, trigger);
      if (input.enabled === true && blocker) {
        throw new EnabledHookLimitError(trigger.id, trigger.maxEnabledHooks, blocker.id, blocker.name);
      }
      const now = clock.now();
      const dependencies = input.dependencies ?? {};
      const row: HookRow = {
        id: newId(),
        tenantId,
        name,
        triggerId: trigger.id,
        // As in Auth0: a new hook starts enabled only when its trigger has room for it.
        enabled: input.enabled ?? !blocker,
        timeoutMs: input.timeoutMs ?? trigger.defaultTimeoutMs,
        retries: input.retries ?? 0,
        conditions: input.conditions ?? [],
        options: { ...trigger.optionDefaults, ...input.options },
        envVarNames: input.envVarNames ?? [],
        contextVersion: input.contextVersion ?? null,
        dependencies,
        status: builds !== null && mayNeedBuild(script, dependencies) ? 'QUEUED' : 'READY',
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      db.insert(hooks).values(row).run();
      added = addVersion(row.id, 1, script, dependencies);
      return row;
    });
    startBuild(added);
    return created;
  }

  function changeHook(tenantId: string, input: UpdateHookInput, script: string | undefined): HookRow {
    let added: { id: string; buildStatus: string } | null = null;
    const changed = db.transaction(() => {
      const hook = find(tenantId, input.id);
      if (input.triggerId !== undefined && input.triggerId !== hook.triggerId) {
        throw new ValidationError('input.triggerId', 'input.triggerId: cannot change');
      }
      const trigger = triggerOf(hook.triggerId);
      checkTimeout(trigger, input.timeoutMs);
      checkOptions(trigger, input.options);
      checkContextVersion(trigger, input.contextVersion);
      if (input.name !== undefined) checkNameFree(tenantId, input.name, hook.id);
      if (input.enabled === true && !hook.enabled) {
        const blocker = enabledBlocker(tenantId, trigger, hook.id);
        if (blocker) throw new EnabledHookLimitError(trigger.id, trigger.maxEnabledHooks, blocker.id, blocker.name);
      }
      let version = hook.version;
      // A new script or new packages make a new version (and a new build).
      const current = versionOf(hook.id, hook.version)!;
      const dependencies = input.dependencies ?? current.dependencies;
      if ((script !== undefined && script !== current.script) || !sameDependencies(dependencies, current.dependencies)) {
        added = addVersion(hook.id, ++version, script ?? current.script, dependencies);
      }
      const changes = {
        name: input.name,
        enabled: input.enabled,
        timeoutMs: input.timeoutMs,
        retries: input.retries,
        conditions: input.conditions,
        options: input.options ? { ...hook.options, ...input.options } : undefined,
        envVarNames: input.envVarNames,
        contextVersion: input.contextVersion,
        dependencies: input.dependencies,
        version,
        status: added?.buildStatus,
        updatedAt: clock.now(),
      };
      return db.update(hooks).set(changes).where(eq(hooks.id, hook.id)).returning().get();
    });
    startBuild(added);
    return changed;
  }

  return {
    find,
    versionOf,

    get(viewer: Viewer | null, id: string): HookRow | undefined {
      const { tenantId } = authorize(viewer, 'read:hooks');
      return hookOfTenant.get({ id, tenantId });
    },

    /** Hooks by id for loaders: rows of the viewer's tenant only, in any order. */
    getMany(tenantId: string, ids: readonly string[]): HookRow[] {
      return db.select().from(hooks).where(and(eq(hooks.tenantId, tenantId), inArray(hooks.id, [...ids]))).all();
    },

    /** A page of the tenant's hooks, newest first: after a keyset cursor, or from an offset (the REST dialects). */
    list(viewer: Viewer | null, filter: HookFilter, page: Page & { offset?: number }): HookRow[] {
      const { tenantId } = authorize(viewer, 'read:hooks');
      return db
        .select()
        .from(hooks)
        .where(and(filterWhere(tenantId, filter), keysetWhere(hooks.id, page)))
        .orderBy(keysetOrder(hooks.id, page))
        .limit(page.limit)
        .offset(page.offset ?? 0)
        .all();
    },

    count(viewer: Viewer | null, filter: HookFilter): number {
      const { tenantId } = authorize(viewer, 'read:hooks');
      return db.select({ n: count() }).from(hooks).where(filterWhere(tenantId, filter)).get()!.n;
    },

    /** A new hook; `rules` are a vendor API's (OneLogin's one hook per type and unnamed hooks). */
    async create(viewer: Viewer | null, rawInput: unknown, rules: CreateRules = {}): Promise<HookRow> {
      const { tenantId } = authorize(viewer, 'create:hooks');
      const input = parseInput(createHookInput, rawInput);
      triggerOf(input.triggerId); // an unknown trigger is the first thing to say
      return insertHook(tenantId, input, await compiled(input), rules);
    },

    /**
     * create() for a caller that checked the script's syntax itself and writes inside its own
     * transaction, which cannot wait for a check (an import: every script first, then one commit).
     */
    createChecked(viewer: Viewer | null, rawInput: unknown): HookRow {
      const { tenantId } = authorize(viewer, 'create:hooks');
      const input = parseInput(createHookInput, rawInput);
      return insertHook(tenantId, input, givenScript(input));
    },

    async update(viewer: Viewer | null, rawInput: unknown): Promise<HookRow> {
      const { tenantId } = authorize(viewer, 'update:hooks');
      const input = parseInput(updateHookInput, rawInput);
      return changeHook(tenantId, input, await compiled(input));
    },

    /** update() for a caller that checked the script's syntax itself (see createChecked). */
    updateChecked(viewer: Viewer | null, rawInput: unknown): HookRow {
      const { tenantId } = authorize(viewer, 'update:hooks');
      const input = parseInput(updateHookInput, rawInput);
      return changeHook(tenantId, input, givenScript(input));
    },

    delete(viewer: Viewer | null, id: string): HookRow {
      const { tenantId } = authorize(viewer, 'delete:hooks');
      const row = db.delete(hooks).where(and(eq(hooks.id, id), eq(hooks.tenantId, tenantId))).returning().get();
      if (!row) throw new NotFoundError('Hook', id);
      // Its versions, secrets, executions and lines went with it: out of the files too.
      void db.$erase();
      return row;
    },

    /** Makes a new version holding the script of an earlier one. */
    rollback(viewer: Viewer | null, hookId: string, version: number): HookRow {
      const { tenantId } = authorize(viewer, 'update:hooks');
      let added: { id: string; buildStatus: string } | null = null;
      const rolledBack = db.transaction(() => {
        const hook = find(tenantId, hookId);
        const old = versionOf(hook.id, version);
        if (!old) throw new NotFoundError('HookVersion', `${version} of hook ${hookId}`);
        added = addVersion(hook.id, hook.version + 1, old.script, old.dependencies);
        return db
          .update(hooks)
          .set({ version: hook.version + 1, dependencies: old.dependencies, status: added.buildStatus, updatedAt: clock.now() })
          .where(eq(hooks.id, hook.id))
          .returning()
          .get();
      });
      startBuild(added);
      return rolledBack;
    },
  };
}


