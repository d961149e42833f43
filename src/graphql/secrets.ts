import { LimitExceededError, NotFoundError, ValidationError } from '../services/errors.ts';
import { builder } from './builder.ts';
import { hookIdOf, hookSuccess } from './hook-mutations.ts';
import { toDate } from './scalars.ts';

const SecretInput = builder.inputType('SecretInput', {
  description: 'A secret to set. The value is stored encrypted and never returned.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Matches ^[a-zA-Z_][a-zA-Z0-9_]*$.' }),
    value: t.string({ required: true, description: 'The value (write-only).' }),
  }),
});

const EnvVarRef = builder.objectRef<{ name: string; updatedAt: number }>('EnvVar').implement({
  description: 'A tenant-wide environment variable (OneLogin). Its value is write-only.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name, as in `process.env.NAME`.' }),
    updatedAt: t.field({ type: 'DateTime', description: 'When the value was last set.', resolve: (v) => toDate(v.updatedAt) }),
  }),
});

builder.queryField('envVars', (t) =>
  t.field({
    type: [EnvVarRef],
    description: 'The tenant’s env vars: names and update times only.',
    resolve: (_root, _args, ctx) => ctx.services.secrets.listEnvVars(ctx.viewer),
  }),
);

builder.mutationFields((t) => ({
  setHookSecrets: t.field({
    type: hookSuccess('SetHookSecretsSuccess', 'The secrets were set.'),
    description: 'Creates or replaces secrets of a hook (scope update:hooks).',
    errors: { types: [ValidationError, NotFoundError, LimitExceededError] },
    args: {
      input: t.arg({
        type: builder.inputType('SetHookSecretsInput', {
          description: 'The hook and the secrets to set.',
          fields: (f) => ({
            hookId: f.globalID({ required: true, description: 'The hook’s global id.' }),
            secrets: f.field({ type: [SecretInput], required: true, description: 'Secrets to create or replace.' }),
          }),
        }),
        required: true,
        description: 'What to set.',
      }),
    },
    resolve: (_root, { input }, ctx) => ({
      hook: ctx.services.secrets.setHookSecrets(ctx.viewer, { ...input, hookId: hookIdOf(input.hookId) }),
    }),
  }),
  deleteHookSecrets: t.field({
    type: hookSuccess('DeleteHookSecretsSuccess', 'The secrets were deleted.'),
    description: 'Deletes secrets of a hook by name (scope update:hooks).',
    errors: { types: [ValidationError, NotFoundError] },
    args: {
      input: t.arg({
        type: builder.inputType('DeleteHookSecretsInput', {
          description: 'The hook and the names to delete.',
          fields: (f) => ({
            hookId: f.globalID({ required: true, description: 'The hook’s global id.' }),
            names: f.stringList({ required: true, description: 'Names of the secrets to delete.' }),
          }),
        }),
        required: true,
        description: 'What to delete.',
      }),
    },
    resolve: (_root, { input }, ctx) => ({
      hook: ctx.services.secrets.deleteHookSecrets(ctx.viewer, { ...input, hookId: hookIdOf(input.hookId) }),
    }),
  }),
  setEnvVar: t.field({
    type: builder.objectRef<{ envVar: { name: string; updatedAt: number } }>('SetEnvVarSuccess').implement({
      description: 'The env var was set.',
      fields: (f) => ({ envVar: f.field({ type: EnvVarRef, description: 'The env var.', resolve: (p) => p.envVar }) }),
    }),
    description: 'Creates or replaces a tenant env var (scope update:hooks).',
    errors: { types: [ValidationError, LimitExceededError] },
    args: { input: t.arg({ type: SecretInput, required: true, description: 'The name and value.' }) },
    resolve: (_root, { input }, ctx) => ({ envVar: ctx.services.secrets.setEnvVar(ctx.viewer, input) }),
  }),
  deleteEnvVar: t.field({
    type: builder.objectRef<{ name: string }>('DeleteEnvVarSuccess').implement({
      description: 'The env var was deleted.',
      fields: (f) => ({ name: f.exposeString('name', { description: 'The deleted name.' }) }),
    }),
    description: 'Deletes a tenant env var (scope update:hooks).',
    errors: { types: [ValidationError, NotFoundError] },
    args: {
      input: t.arg({
        type: builder.inputType('DeleteEnvVarInput', {
          description: 'The env var to delete.',
          fields: (f) => ({ name: f.string({ required: true, description: 'Its name.' }) }),
        }),
        required: true,
        description: 'What to delete.',
      }),
    },
    resolve: (_root, { input }, ctx) => {
      if (!ctx.services.secrets.deleteEnvVar(ctx.viewer, input)) throw new NotFoundError('EnvVar', input.name);
      return { name: input.name };
    },
  }),
}));
