import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.ts';
import { tenants } from '../../src/db/schema.ts';
import { systemClock } from '../../src/lib/clock.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { createTokenService } from '../../src/services/tokens.ts';

const dir = mkdtempSync(join(tmpdir(), 'hookgate-token-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A token service on a database file, counting the token lookups it makes. */
function tokenService(name: string) {
  const path = join(dir, `${name}.db`);
  const lookups = { count: 0 };
  const db = openDb(path, { backgroundCheckpoints: false, onQuery: (sql) => void (sql.includes('from "api_tokens"') && lookups.count++) });
  db.insert(tenants).values({ id: 't1', name: 'acme', createdAt: 0 }).run();
  const tokens = createTokenService({ db, clock: systemClock } as ServiceDeps);
  afterAll(() => db.$client.close());
  return { path, tokens, lookups, ...tokens.issue('t1', 'ci', ['read:hooks']) };
}

describe('authenticate', () => {
  it('reads a token once, then answers from memory', () => {
    const { tokens, token, lookups } = tokenService('cached');
    const first = tokens.authenticate(token);
    const before = lookups.count;
    for (let i = 0; i < 5; i++) expect(tokens.authenticate(token)).toEqual(first);
    expect(lookups.count).toBe(before);
    expect(first).toEqual({ tenantId: 't1', tenantName: 'acme', tokenId: expect.any(String), scopes: ['read:hooks'] });
    expect(() => tokens.authenticate('hg_unknown')).toThrow(/not valid/);
  });

  it('refuses a token on the next request once this process revokes it', () => {
    const { tokens, token, apiToken } = tokenService('revoked-here');
    tokens.authenticate(token);
    tokens.revoke({ tenantId: 't1', tenantName: 'acme', tokenId: 'admin', scopes: ['*'] }, apiToken.id);
    expect(() => tokens.authenticate(token)).toThrow(/revoked/);
  });

  it('refuses a token on the next request once another connection revokes it (hookgate token revoke)', async () => {
    const { tokens, token, apiToken, path } = tokenService('revoked-elsewhere');
    tokens.authenticate(token);
    const other = new Database(path);
    other.prepare('update api_tokens set revoked_at = ? where id = ?').run(Date.now(), apiToken.id);
    other.close();
    // The next request comes in a later turn of the event loop: another connection's commits are seen from there on.
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => tokens.authenticate(token)).toThrow(/revoked/);
  });
});
