import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.ts';
import { WhileUnchanged } from '../../src/db/table-changes.ts';

const dir = mkdtempSync(join(tmpdir(), 'hookgate-table-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function database(name: string) {
  const path = join(dir, `${name}.db`);
  const db = openDb(path, { backgroundCheckpoints: false });
  afterAll(() => db.$client.close());
  const sql = db.$client;
  sql.prepare(`insert into tenants (id, name, created_at) values ('t', 'acme', 0)`).run();
  const addHook = (id: string) =>
    sql
      .prepare(
        `insert into hooks (id, tenant_id, name, trigger_id, enabled, timeout_ms, retries, conditions, options, env_var_names, status, version, created_at, updated_at)
         values (?, 't', ?, 'pre-user-registration', 1, 1000, 0, '[]', '{}', '[]', 'ACTIVE', 1, 0, 0)`,
      )
      .run(id, id);
  return { path, db, sql, addHook };
}

describe('watched tables (db.$changes)', () => {
  it("changes with every insert, update and delete of this connection's hooks and versions, cascades included", () => {
    const { db, sql, addHook } = database('own');
    const seen = [db.$changes.generation()];
    const changed = () => {
      const now = db.$changes.generation();
      const differs = !seen.includes(now);
      seen.push(now);
      return differs;
    };
    expect(changed()).toBe(false);
    addHook('h1');
    expect(changed()).toBe(true);
    sql.prepare(`insert into hook_versions (id, hook_id, version, script, created_at) values ('v1', 'h1', 1, 'x', 0)`).run();
    expect(changed()).toBe(true);
    sql.prepare(`update hooks set enabled = 0 where id = 'h1'`).run();
    expect(changed()).toBe(true);
    // Other tables do not count: every run writes executions.
    sql.prepare(`insert into tenants (id, name, created_at) values ('t2', 'other', 0)`).run();
    expect(changed()).toBe(false);
    // Deleting the tenant deletes its hooks and their versions by cascade.
    sql.prepare(`delete from tenants where id = 't'`).run();
    expect(changed()).toBe(true);
    expect(sql.prepare('select count(*) as n from hook_versions').get()).toEqual({ n: 0 });
  });

  it('changes from the next turn of the event loop on when another connection commits (the CLI while the service runs)', async () => {
    const { db, path } = database('other');
    const before = db.$changes.generation();
    const outsideBefore = db.$changes.outsideGeneration();
    expect(db.$changes.generation()).toBe(before);
    const other = new Database(path);
    other.prepare(`update tenants set name = 'renamed'`).run();
    other.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.$changes.generation()).not.toBe(before);
    expect(db.$changes.outsideGeneration()).not.toBe(outsideBefore);
  });

  it('keeps a loaded value while nothing changed, and loads again after a change', () => {
    const { db, addHook } = database('cache');
    const kept = new WhileUnchanged<number>(() => db.$changes.generation(), 2);
    let loads = 0;
    const load = () => ++loads;
    expect(kept.get('a', load)).toBe(1);
    expect(kept.get('a', load)).toBe(1);
    addHook('h2');
    expect(kept.get('a', load)).toBe(2);
    // Bounded: a third key starts the map again.
    kept.get('b', load);
    kept.get('c', load);
    expect(kept.get('a', load)).toBe(5);
  });

  it('changes when a group of writes read meanwhile is rolled back', async () => {
    const { db, addHook } = database('rollback');
    db.$group.join();
    addHook('h3');
    // Read before the commit: a cache would keep a hook that is not stored yet.
    const seen = db.$changes.generation();
    const seenOutside = db.$changes.outsideGeneration();
    const settled = db.$group.settled();
    // What SQLite does on a full disk or an I/O error.
    db.$client.exec('ROLLBACK');
    await expect(settled).rejects.toThrow(/rolled back/);
    expect(db.$changes.generation()).not.toBe(seen);
    // Caches of other tables (the token viewers) are emptied too.
    expect(db.$changes.outsideGeneration()).not.toBe(seenOutside);
    expect(db.$client.prepare(`select count(*) as n from hooks where id = 'h3'`).get()).toEqual({ n: 0 });
  });
});
