import type { ApiTokenRow, TenantRow } from '../db/schema.ts';
import { NameTakenError, ValidationError } from '../services/errors.ts';
import { builder } from './builder.ts';
import { ApiTokenRef } from './tokens.ts';
import { TenantRef } from './viewer.ts';

builder.mutationFields((t) => ({
  createTenant: t.field({
    type: builder.objectRef<{ token: string; apiToken: ApiTokenRow; tenant: TenantRow }>('CreateTenantSuccess').implement({
      description: 'The tenant was created with an admin token.',
      fields: (f) => ({
        tenant: f.field({ type: TenantRef, description: 'The new tenant.', resolve: (p) => p.tenant }),
        token: f.exposeString('token', { description: 'The tenant admin’s bearer token. Shown this once.' }),
        apiToken: f.field({ type: ApiTokenRef, description: 'The token’s record.', resolve: (p) => p.apiToken }),
      }),
    }),
    description: 'Creates a tenant and an admin token for it (scope manage:tenants).',
    errors: { types: [ValidationError, NameTakenError] },
    args: {
      input: t.arg({
        type: builder.inputType('CreateTenantInput', {
          description: 'The new tenant.',
          fields: (f) => ({ name: f.string({ required: true, description: 'A unique name.' }) }),
        }),
        required: true,
        description: 'The new tenant.',
      }),
    },
    resolve: (_root, { input }, ctx) => ctx.services.tenants.create(ctx.viewer, input),
  }),
}));
