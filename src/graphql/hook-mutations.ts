import type { HookRow } from '../db/schema.ts';
import {
  EnabledHookLimitError,
  InvalidBase64Error,
  LimitExceededError,
  NameTakenError,
  NotFoundError,
  ScriptSyntaxError,
  UnknownTriggerError,
  ValidationError,
} from '../services/errors.ts';
import { builder } from './builder.ts';
import { HookRef } from './hooks.ts';

/** Success types of the mutations that answer with the hook they changed. */
export function hookSuccess(name: string, description: string) {
  return builder.objectRef<{ hook: HookRow }>(name).implement({
    description,
    fields: (t) => ({ hook: t.field({ type: HookRef, description: 'The hook as it is now.', resolve: (p) => p.hook }) }),
  });
}

const HookConditionInput = builder.inputType('HookConditionInput', {
  description: 'A condition on the user (OneLogin conditions).',
  fields: (t) => ({
    source: t.string({ required: true, description: 'What is tested; only `roles`.' }),
    operator: t.string({ required: true, description: '`~` the user has the role, `!~` the user does not.' }),
    value: t.string({ required: true, description: 'The role id.' }),
  }),
});


const CreateHookInput = builder.inputType('CreateHookInput', {
  description: 'A new hook. Give the script as `script`, or base64-encoded as `scriptBase64` (OneLogin’s `function`).',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Unique in the tenant: letters, digits, spaces, dashes.' }),
    triggerId: t.string({ required: true, description: 'The trigger to attach to (see `triggers`); cannot change later.' }),
    script: t.string({ description: 'The hook’s JavaScript.' }),
    scriptBase64: t.string({ description: 'The hook’s JavaScript, base64-encoded.' }),
    enabled: t.boolean({ description: 'Default: true when no other hook of the trigger is enabled.' }),
    timeoutMs: t.int({ description: 'Default and ceiling come from the trigger.' }),
    retries: t.int({ description: 'Retries of a failed async run, 0–4; default 0.' }),
    conditions: t.field({ type: [HookConditionInput], description: 'All must hold for the hook to run.' }),
    options: t.field({ type: 'JSONObject', description: 'Which optional context parts to pass (booleans).' }),
    envVarNames: t.stringList({ description: 'Tenant env vars to pass in `process.env`.' }),
    contextVersion: t.string({ description: 'The context version (OneLogin); default the latest.' }),
    dependencies: t.field({
      type: 'JSONObject',
      description: 'npm packages the hook requires: name → exact version or semver range (Auth0 `dependencies`, OneLogin `packages`). Built off the request path: see `status`.',
    }),
  }),
});

const UpdateHookInput = builder.inputType('UpdateHookInput', {
  description: 'Changes to a hook; absent fields stay as they are. A changed script or changed dependencies make a new version.',
  fields: (t) => ({
    id: t.globalID({ required: true, description: 'The hook’s global id.' }),
    name: t.string({ description: 'A new name.' }),
    script: t.string({ description: 'A new script.' }),
    scriptBase64: t.string({ description: 'A new script, base64-encoded.' }),
    enabled: t.boolean({ description: 'Enable or disable.' }),
    timeoutMs: t.int({ description: 'A new timeout, up to the trigger’s ceiling.' }),
    retries: t.int({ description: 'Retries of a failed async run, 0–4.' }),
    conditions: t.field({ type: [HookConditionInput], description: 'Replaces the conditions.' }),
    options: t.field({ type: 'JSONObject', description: 'Merged into the options.' }),
    envVarNames: t.stringList({ description: 'Replaces the env var names.' }),
    contextVersion: t.string({ description: 'A new context version.' }),
    dependencies: t.field({ type: 'JSONObject', description: 'Replaces the npm packages; a change makes a new version and a new build.' }),
  }),
});

const scriptErrors = [ValidationError, InvalidBase64Error, ScriptSyntaxError, NameTakenError, EnabledHookLimitError];

builder.mutationFields((t) => ({
  createHook: t.field({
    type: hookSuccess('CreateHookSuccess', 'The hook was created.'),
    description: 'Creates a hook (scope create:hooks).',
    errors: { types: [...scriptErrors, UnknownTriggerError, LimitExceededError] },
    args: { input: t.arg({ type: CreateHookInput, required: true, description: 'The new hook.' }) },
    resolve: async (_root, { input }, ctx) => ({ hook: await ctx.services.hooks.create(ctx.viewer, input) }),
  }),
  updateHook: t.field({
    type: hookSuccess('UpdateHookSuccess', 'The hook was updated.'),
    description: 'Changes a hook (scope update:hooks).',
    errors: { types: [...scriptErrors, NotFoundError] },
    args: { input: t.arg({ type: UpdateHookInput, required: true, description: 'The changes.' }) },
    resolve: async (_root, { input }, ctx) => ({ hook: await ctx.services.hooks.update(ctx.viewer, { ...input, id: hookIdOf(input.id) }) }),
  }),
  rollbackHook: t.field({
    type: hookSuccess('RollbackHookSuccess', 'A new version holds the old script.'),
    description: 'Makes a new version of a hook holding the script of an earlier version (scope update:hooks).',
    errors: { types: [NotFoundError] },
    args: {
      input: t.arg({
        type: builder.inputType('RollbackHookInput', {
          description: 'The hook and the version to go back to.',
          fields: (f) => ({
            hookId: f.globalID({ required: true, description: 'The hook’s global id.' }),
            version: f.int({ required: true, description: 'The version number whose script to restore.' }),
          }),
        }),
        required: true,
        description: 'What to roll back.',
      }),
    },
    resolve: (_root, { input }, ctx) => ({ hook: ctx.services.hooks.rollback(ctx.viewer, hookIdOf(input.hookId), input.version) }),
  }),
  deleteHook: t.field({
    type: builder.objectRef<{ id: string }>('DeleteHookSuccess').implement({
      description: 'The hook, its versions, secrets and executions were deleted.',
      fields: (f) => ({ deletedHookId: f.globalID({ description: 'Global id of the deleted hook.', resolve: (p) => ({ type: 'Hook', id: p.id }) }) }),
    }),
    description: 'Deletes a hook (scope delete:hooks).',
    errors: { types: [NotFoundError] },
    args: {
      input: t.arg({
        type: builder.inputType('DeleteHookInput', {
          description: 'The hook to delete.',
          fields: (f) => ({ id: f.globalID({ required: true, description: 'The hook’s global id.' }) }),
        }),
        required: true,
        description: 'What to delete.',
      }),
    },
    resolve: (_root, { input }, ctx) => ({ id: ctx.services.hooks.delete(ctx.viewer, hookIdOf(input.id)).id }),
  }),
}));

/** The raw id of a hook's global id; an id of another type finds nothing. */
export function hookIdOf(globalId: { typename: string; id: string }): string {
  if (globalId.typename !== 'Hook') throw new NotFoundError('Hook', `${globalId.typename}:${globalId.id}`);
  return globalId.id;
}
