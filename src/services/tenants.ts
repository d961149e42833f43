import { asc, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { tenants, type TenantRow } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { authorize, SCOPES, TENANT_ADMIN_SCOPES, type Scope, type Viewer } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { NameTakenError } from './errors.ts';
import type { TokenService } from './tokens.ts';
import { parseInput } from './validation.ts';

const createTenantInput = z.object({
  name: z.string().trim().min(1).max(100).regex(/^[a-zA-Z0-9][a-zA-Z0-9 _.-]*$/, 'must start with a letter or digit'),
});

export type TenantService = ReturnType<typeof createTenantService>;

export function createTenantService({ db, clock }: ServiceDeps, tokenService: TokenService) {
  function insertWithAdminToken(name: string, scopes: readonly Scope[], token?: string) {
    return db.transaction(() => {
      if (db.select({ id: tenants.id }).from(tenants).where(eq(tenants.name, name)).get()) {
        throw new NameTakenError('input.name', name);
      }
      const tenant: TenantRow = { id: newId(), name, createdAt: clock.now() };
      db.insert(tenants).values(tenant).run();
      const issued = tokenService.issue(tenant.id, 'admin', scopes, token);
      return { tenant, ...issued };
    });
  }

  return {
    get(id: string) {
      return db.select().from(tenants).where(eq(tenants.id, id)).get();
    },

    /** For the operator's CLI, which holds the database itself. */
    byName(name: string) {
      return db.select().from(tenants).where(eq(tenants.name, name)).get();
    },

    /** Every tenant, oldest first (the operator's CLI). */
    list() {
      return db.select().from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.id)).all();
    },

    /** A new tenant and an admin token for it (every scope but manage:tenants). */
    create(viewer: Viewer | null, rawInput: unknown) {
      authorize(viewer, 'manage:tenants');
      const { name } = parseInput(createTenantInput, rawInput);
      return insertWithAdminToken(name, TENANT_ADMIN_SCOPES);
    },

    /**
     * On an empty database: the default tenant and an admin token with every scope. Returns
     * null when tenants already exist, so a restart never mints another token.
     */
    bootstrap(token?: string) {
      const existing = db.select({ n: count() }).from(tenants).get()!.n;
      if (existing > 0) return null;
      return insertWithAdminToken('default', SCOPES, token);
    },
  };
}
