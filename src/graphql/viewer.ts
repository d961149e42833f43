import { requireViewer, type Viewer } from '../services/auth.ts';
import type { TenantRow } from '../db/schema.ts';
import { builder } from './builder.ts';
import { toDate } from './scalars.ts';

export const TenantRef = builder.objectRef<TenantRow>('Tenant').implement({
  description: 'The unit of isolation: every hook, secret and execution belongs to one tenant.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The tenant id.' }),
    name: t.exposeString('name', { description: 'The tenant name, unique.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (tenant) => toDate(tenant.createdAt) }),
  }),
});

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The caller, as its bearer token tells.',
  fields: (t) => ({
    tenant: t.field({
      type: TenantRef,
      description: 'The tenant the token belongs to.',
      resolve: (viewer, _args, ctx) => ctx.services.tenants.get(viewer.tenantId)!,
    }),
    scopes: t.stringList({ description: 'The scopes the token holds.', resolve: (viewer) => [...viewer.scopes] }),
    tokenId: t.exposeID('tokenId', { description: 'Raw id of the token in use.' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    description: 'Who the bearer token says you are.',
    resolve: (_root, _args, ctx) => requireViewer(ctx.viewer),
  }),
);
