import { AuthenticationError, ForbiddenError } from './errors.ts';

export const SCOPES = [
  'read:hooks',
  'create:hooks',
  'update:hooks',
  'delete:hooks',
  'run:hooks',
  'read:executions',
  'manage:tokens',
  'manage:tenants',
  '*',
] as const;

export type Scope = (typeof SCOPES)[number];

/** Who is calling: the tenant and scopes of the bearer token. */
export interface Viewer {
  tenantId: string;
  tenantName: string;
  tokenId: string;
  scopes: readonly string[];
}

/** Scopes a tenant's own admin holds: all of them but the operator's manage:tenants. */
export const TENANT_ADMIN_SCOPES: readonly Scope[] = SCOPES.filter((scope) => scope !== 'manage:tenants');

/**
 * `*` (OneLogin's "Manage All") covers every scope within the tenant; creating tenants is the
 * operator's and needs manage:tenants itself.
 */
export function hasScope(viewer: Pick<Viewer, 'scopes'>, scope: Scope): boolean {
  if (viewer.scopes.includes(scope)) return true;
  return scope !== 'manage:tenants' && viewer.scopes.includes('*');
}

/** Any valid token. */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AuthenticationError('A valid bearer token is required (Authorization: Bearer <token>)');
  return viewer;
}

/** The one gate every service operation passes: a known token holding the scope. */
export function authorize(viewer: Viewer | null, scope: Scope): Viewer {
  if (!hasScope(requireViewer(viewer), scope)) throw new ForbiddenError(scope);
  return viewer!;
}
