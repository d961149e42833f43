import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { apiTokens, tenants, type ApiTokenRow } from '../db/schema.ts';
import { WhileUnchanged } from '../db/table-changes.ts';
import { newId } from '../lib/ids.ts';
import { authorize, hasScope, SCOPES, type Viewer } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { AuthenticationError, LimitExceededError, NotFoundError, ValidationError } from './errors.ts';
import { keysetOrder, keysetWhere, type Page } from './pagination.ts';
import { parseInput } from './validation.ts';

export const MAX_ACTIVE_TOKENS_PER_TENANT = 100;

/** Viewers kept by `authenticate`; past it the cache starts again. */
const MAX_CACHED_VIEWERS = 10_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const generateToken = () => `hg_${randomBytes(32).toString('base64url')}`;

const createTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
});

export type TokenService = ReturnType<typeof createTokenService>;

export function createTokenService({ db, clock }: ServiceDeps) {
  /** Inserts a token row; the plain token is returned to be shown once and is never stored. */
  function issue(tenantId: string, name: string, scopes: readonly string[], token = generateToken()) {
    const row: ApiTokenRow = {
      id: newId(),
      tenantId,
      name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 10),
      scopes: [...new Set(scopes)],
      createdAt: clock.now(),
      revokedAt: null,
    };
    db.insert(apiTokens).values(row).run();
    return { token, apiToken: row };
  }

  // Every request authenticates: the lookup is prepared once, and its answer kept (see `viewers`).
  const byHash = db
    .select({ token: apiTokens, tenantName: tenants.name })
    .from(apiTokens)
    .innerJoin(tenants, eq(tenants.id, apiTokens.tenantId))
    .where(eq(apiTokens.tokenHash, sql.placeholder('tokenHash')))
    .prepare();
  const activeToken = db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, sql.placeholder('id')), isNull(apiTokens.revokedAt)))
    .prepare();

  // Viewers of active tokens by token hash. A revoke here forgets its token; a commit by another
  // connection (`hookgate token revoke` while the service runs) changes SQLite's data_version, and
  // a rolled-back group of writes may have held a token issued meanwhile: either empties the cache
  // (db/table-changes.ts: seen from the next turn of the event loop). A revoked token fails on the
  // next request. Bounded: unknown tokens are never kept, and a tenant holds at most 100 active ones.
  const viewers = new WhileUnchanged<Viewer>(() => db.$changes.outsideGeneration(), MAX_CACHED_VIEWERS);

  return {
    issue,

    /** The viewer behind a bearer token; an unknown or revoked token is an AuthenticationError. */
    authenticate(token: string): Viewer {
      const tokenHash = hashToken(token);
      return viewers.get(tokenHash, () => {
        const found = byHash.get({ tokenHash });
        if (!found) throw new AuthenticationError('The bearer token is not valid');
        if (found.token.revokedAt !== null) throw new AuthenticationError('The bearer token has been revoked');
        return Object.freeze({
          tenantId: found.token.tenantId,
          tenantName: found.tenantName,
          tokenId: found.token.id,
          scopes: Object.freeze([...found.token.scopes]),
        });
      });
    },

    create(viewer: Viewer | null, input: unknown) {
      const caller = authorize(viewer, 'manage:tokens');
      const { name, scopes } = parseInput(createTokenInput, input);
      // A token can hand out only what it holds itself, so no token mints a stronger one.
      const beyond = scopes.find((scope) => (scope === '*' ? !caller.scopes.includes('*') : !hasScope(caller, scope)));
      if (beyond) throw new ValidationError('input.scopes', `input.scopes: this token cannot grant ${beyond}, which it does not hold`);
      // Bounded, or a tenant could mint tokens to multiply its share of the per-token run limit.
      const active = db
        .select({ n: count() })
        .from(apiTokens)
        .where(and(eq(apiTokens.tenantId, caller.tenantId), isNull(apiTokens.revokedAt)))
        .get()!.n;
      if (active >= MAX_ACTIVE_TOKENS_PER_TENANT) {
        throw new LimitExceededError('input', MAX_ACTIVE_TOKENS_PER_TENANT, `A tenant holds at most ${MAX_ACTIVE_TOKENS_PER_TENANT} active tokens: revoke one first`);
      }
      return issue(caller.tenantId, name, scopes);
    },

    revoke(viewer: Viewer | null, id: string) {
      const { tenantId } = authorize(viewer, 'manage:tokens');
      const row = db
        .update(apiTokens)
        .set({ revokedAt: clock.now() })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.tenantId, tenantId)))
        .returning()
        .get();
      if (!row) throw new NotFoundError('ApiToken', id);
      viewers.delete(row.tokenHash);
      return row;
    },

    /** A keyset page of the tenant's tokens, newest first. */
    list(viewer: Viewer | null, page: Page) {
      const { tenantId } = authorize(viewer, 'manage:tokens');
      return db
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.tenantId, tenantId), keysetWhere(apiTokens.id, page)))
        .orderBy(keysetOrder(apiTokens.id, page))
        .limit(page.limit)
        .all();
    },

    /** Whether a token still authenticates (long-lived subscriptions re-check it). */
    isActive(tokenId: string): boolean {
      return activeToken.get({ id: tokenId }) !== undefined;
    },
  };
}
