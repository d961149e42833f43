import { resolveCursorConnection } from '@pothos/plugin-relay';
import type { HookRow, HookVersionRow } from '../db/schema.ts';
import { getTrigger } from '../triggers/index.ts';
import { builder } from './builder.ts';
import { toDate } from './scalars.ts';
import { TriggerRef } from './triggers.ts';
import { charged } from './use-answer-budget.ts';
import { checkCursors, isIdCursor } from './cursors.ts';

export const HookStatus = builder.enumType('HookStatus', {
  description: 'The build of a version’s npm packages, and so whether it can run. A version that needs no packages is READY at once.',
  values: {
    QUEUED: { description: 'Waiting for its build.' },
    BUILDING: { description: 'Its packages are being resolved, fetched and bundled.' },
    READY: { description: 'Built and runnable (when enabled).' },
    FAILED: { description: 'The build failed: see `buildError`. The last READY version keeps serving.' },
  } as const,
});

const HookConditionRef = builder.objectRef<HookRow['conditions'][number]>('HookCondition').implement({
  description: 'A condition on the user that must hold for the hook to run (OneLogin conditions).',
  fields: (t) => ({
    source: t.exposeString('source', { description: 'What is tested; `roles` is the only source.' }),
    operator: t.exposeString('operator', { description: '`~` the user has the role, `!~` the user does not.' }),
    value: t.exposeString('value', { description: 'The role id.' }),
  }),
});

const HookSecretRef = builder.objectRef<{ name: string; updatedAt: number }>('HookSecret').implement({
  description: 'A secret of a hook. Its value is write-only and never returned.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name, as in `context.webtask.secrets.NAME`.' }),
    updatedAt: t.field({ type: 'DateTime', description: 'When the value was last set.', resolve: (s) => toDate(s.updatedAt) }),
  }),
});

export const HookVersionRef = builder.node(builder.objectRef<HookVersionRow>('HookVersion'), {
  description: 'An immutable script of a hook; every script change makes a new one.',
  id: { resolve: (version) => version.id, description: 'The global id.' },
  loadOne: (id, ctx) => ctx.loaders.hookVersion.load(id),
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'The version number, 1 for the first script.' }),
    script: t.string({ description: 'The script of this version.', resolve: (v, _a, ctx) => charged(ctx, v.script) }),
    createdAt: t.field({ type: 'DateTime', description: 'When the version was made.', resolve: (v) => toDate(v.createdAt) }),
  }),
});

export const HookRef = builder.node(builder.objectRef<HookRow>('Hook'), {
  description: 'A script attached to a trigger of the pipeline.',
  id: { resolve: (hook) => hook.id, description: 'The global id.' },
  loadOne: (id, ctx) => ctx.loaders.hook.load(id),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique within the tenant.' }),
    triggerId: t.exposeString('triggerId', { description: 'The trigger it runs at; fixed at creation.' }),
    trigger: t.field({ type: TriggerRef, description: 'The trigger it runs at.', resolve: (hook) => getTrigger(hook.triggerId)! }),
    script: t.string({
      description: 'The script of the current version.',
      resolve: async (hook, _args, ctx) => charged(ctx, (await ctx.loaders.versionsByHook.load(hook.id)).find((v) => v.version === hook.version)!.script),
    }),
    enabled: t.exposeBoolean('enabled', { description: 'Whether the pipeline runs it.' }),
    timeoutMs: t.exposeInt('timeoutMs', { description: 'Wall-clock limit of a run, in milliseconds.' }),
    retries: t.exposeInt('retries', { description: 'How often a failed async run is retried (0–4).' }),
    conditions: t.field({ type: [HookConditionRef], description: 'All must hold for the hook to run.', resolve: (hook) => hook.conditions }),
    options: t.field({ type: 'JSONObject', description: 'Which optional context parts the trigger passes.', resolve: (hook) => hook.options }),
    envVarNames: t.exposeStringList('envVarNames', { description: 'Tenant env vars the hook receives in `process.env`.' }),
    contextVersion: t.exposeString('contextVersion', { nullable: true, description: 'The context version asked for (OneLogin); null for the latest.' }),
    status: t.field({
      type: HookStatus,
      description: 'The build of the current version. While it is not READY, dispatches run the newest READY version.',
      resolve: (hook) => hook.status as 'QUEUED' | 'BUILDING' | 'READY' | 'FAILED',
    }),
    dependencies: t.field({
      type: 'JSONObject',
      description: 'npm packages the hook asks for: name → version or range.',
      resolve: (hook) => hook.dependencies,
    }),
    version: t.exposeInt('version', { description: 'Number of the current version.' }),
    versions: t.field({
      type: [HookVersionRef],
      description: 'The newest versions, newest first.',
      args: { first: t.arg.int({ defaultValue: 20, description: 'How many, at most 100.' }) },
      resolve: async (hook, { first }, ctx) =>
        (await ctx.loaders.versionsByHook.load(hook.id)).slice(0, Math.min(Math.max(first ?? 20, 0), 100)),
    }),
    secrets: t.field({
      type: [HookSecretRef],
      description: 'Names and update times of the secrets; never their values.',
      resolve: (hook, _args, ctx) => ctx.loaders.secretsByHook.load(hook.id),
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (hook) => toDate(hook.createdAt) }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (hook) => toDate(hook.updatedAt) }),
  }),
});

const HookFilter = builder.inputType('HookFilter', {
  description: 'Narrows a list of hooks; every given field must match.',
  fields: (t) => ({
    triggerId: t.string({ description: 'Only hooks of this trigger.' }),
    enabled: t.boolean({ description: 'Only enabled (or only disabled) hooks.' }),
    nameContains: t.string({ description: 'Only hooks whose name contains this text, ignoring case.' }),
  }),
});

builder.queryFields((t) => ({
  hook: t.field({
    type: HookRef,
    nullable: true,
    description: 'A hook by global id; null when it does not exist or is another tenant’s.',
    args: { id: t.arg.globalID({ required: true, description: 'The hook’s global id.' }) },
    resolve: (_root, { id }, ctx) => (id.typename === 'Hook' ? ctx.services.hooks.get(ctx.viewer, id.id) ?? null : null),
  }),
  hooks: t.connection({
    type: HookRef,
    description: 'The tenant’s hooks, newest first.',
    args: { filter: t.arg({ type: HookFilter, description: 'Narrows the list.' }) },
    resolve: (_root, args, ctx) => {
      checkCursors(args, isIdCursor);
      return resolveCursorConnection<HookRow[]>({ args, toCursor: (hook: HookRow) => hook.id, maxSize: 100, defaultSize: 20 }, (page) =>
        ctx.services.hooks.list(ctx.viewer, args.filter ?? {}, page),
      );
    },
  }),
}));
