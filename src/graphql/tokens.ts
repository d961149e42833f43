import { resolveCursorConnection } from '@pothos/plugin-relay';
import type { ApiTokenRow } from '../db/schema.ts';
import { LimitExceededError, NotFoundError, ValidationError } from '../services/errors.ts';
import { checkCursors, isIdCursor } from './cursors.ts';
import { builder } from './builder.ts';
import { toDate, toDateOrNull } from './scalars.ts';

export const ApiTokenRef = builder.objectRef<ApiTokenRow>('ApiToken').implement({
  description: 'A bearer token of the tenant. The token itself is shown once, at creation.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Raw id, for revokeApiToken.' }),
    name: t.exposeString('name', { description: 'What the token is for.' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, to tell tokens apart.' }),
    scopes: t.exposeStringList('scopes', { description: 'The scopes it holds.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (k) => toDate(k.createdAt) }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was revoked.', resolve: (k) => toDateOrNull(k.revokedAt) }),
  }),
});


const ScopeEnum = builder.enumType('ApiScope', {
  description: 'What a token may do; `ALL` (`*`) is everything within the tenant.',
  values: {
    READ_HOOKS: { value: 'read:hooks', description: 'Read hooks, triggers and env var names.' },
    CREATE_HOOKS: { value: 'create:hooks', description: 'Create hooks.' },
    UPDATE_HOOKS: { value: 'update:hooks', description: 'Change hooks, their secrets and env vars.' },
    DELETE_HOOKS: { value: 'delete:hooks', description: 'Delete hooks.' },
    RUN_HOOKS: { value: 'run:hooks', description: 'Run hooks and dispatch triggers.' },
    READ_EXECUTIONS: { value: 'read:executions', description: 'Read executions and their logs.' },
    MANAGE_TOKENS: { value: 'manage:tokens', description: 'Create, list and revoke the tenant’s tokens.' },
    MANAGE_TENANTS: { value: 'manage:tenants', description: 'Create tenants (the operator’s scope).' },
    ALL: { value: '*', description: 'Every scope within the tenant.' },
  } as const,
});

builder.queryField('apiTokens', (t) =>
  t.connection({
    type: ApiTokenRef,
    description: 'The tenant’s tokens, newest first (scope manage:tokens).',
    resolve: (_root, args, ctx) => {
      checkCursors(args, isIdCursor);
      return resolveCursorConnection<ApiTokenRow[]>({ args, toCursor: (row: ApiTokenRow) => row.id, maxSize: 100, defaultSize: 20 }, (page) =>
        ctx.services.tokens.list(ctx.viewer, page),
      );
    },
  }),
);

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: builder.objectRef<{ token: string; apiToken: ApiTokenRow }>('CreateApiTokenSuccess').implement({
      description: 'The token was created.',
      fields: (f) => ({
        token: f.exposeString('token', { description: 'The bearer token. Shown this once: store it now.' }),
        apiToken: f.field({ type: ApiTokenRef, description: 'The token’s record.', resolve: (p) => p.apiToken }),
      }),
    }),
    description: 'Creates a token of the caller’s tenant with scopes the caller holds (scope manage:tokens).',
    errors: { types: [ValidationError, LimitExceededError] },
    args: {
      input: t.arg({
        type: builder.inputType('CreateApiTokenInput', {
          description: 'The new token.',
          fields: (f) => ({
            name: f.string({ required: true, description: 'What the token is for.' }),
            scopes: f.field({ type: [ScopeEnum], required: true, description: 'The scopes to grant.' }),
          }),
        }),
        required: true,
        description: 'The new token.',
      }),
    },
    resolve: (_root, { input }, ctx) => ctx.services.tokens.create(ctx.viewer, input),
  }),
  revokeApiToken: t.field({
    type: builder.objectRef<{ apiToken: ApiTokenRow }>('RevokeApiTokenSuccess').implement({
      description: 'The token was revoked; it no longer authenticates.',
      fields: (f) => ({ apiToken: f.field({ type: ApiTokenRef, description: 'The revoked token.', resolve: (p) => p.apiToken }) }),
    }),
    description: 'Revokes a token of the caller’s tenant (scope manage:tokens).',
    errors: { types: [NotFoundError] },
    args: {
      input: t.arg({
        type: builder.inputType('RevokeApiTokenInput', {
          description: 'The token to revoke.',
          fields: (f) => ({ id: f.id({ required: true, description: 'The token’s id.' }) }),
        }),
        required: true,
        description: 'What to revoke.',
      }),
    },
    resolve: (_root, { input }, ctx) => ({ apiToken: ctx.services.tokens.revoke(ctx.viewer, String(input.id)) }),
  }),
}));
