import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.ts';
import { createGroupCommit, type GroupCommit } from '../../src/db/group-commit.ts';

const turnEnds = () => new Promise((resolve) => setImmediate(resolve));

let dir: string;
let writer: Database.Database;
let reader: Database.Database;
let group: GroupCommit;
let reported: unknown[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hookgate-group-'));
  writer = new Database(join(dir, 'db'));
  writer.pragma('journal_mode = WAL');
  writer.exec(`create table parent (id integer primary key);
    create table t (id integer primary key, v text, parent integer references parent(id) deferrable initially deferred)`);
  writer.pragma('foreign_keys = ON');
  reader = new Database(join(dir, 'db'), { readonly: true });
  reported = [];
  group = createGroupCommit(writer, (error) => reported.push(error));
});

afterEach(() => {
  reader.close();
  if (writer.open) writer.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (id: number, parent: number | null = null) => {
  group.join();
  writer.prepare('insert into t (id, v, parent) values (?, ?, ?)').run(id, `v${id}`, parent);
};
const committedIds = () => reader.prepare('select id from t order by id').all().map((row) => (row as { id: number }).id);

describe('group commit', () => {
  it('commits the writes of one turn of the event loop together, when the turn ends', async () => {
    insert(1);
    insert(2);
    // The writing connection sees its writes at once; nobody else does before the commit.
    expect(writer.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
    expect(committedIds()).toEqual([]);
    await group.settled();
    expect(committedIds()).toEqual([1, 2]);
    expect(writer.inTransaction).toBe(false);

    insert(3);
    expect(committedIds()).toEqual([1, 2]);
    await turnEnds();
    expect(committedIds()).toEqual([1, 2, 3]);
  });

  it('announces writes only once they are committed, in order', async () => {
    const heard: string[] = [];
    insert(1);
    group.afterCommit(() => heard.push(`one, committed: ${committedIds().join()}`));
    insert(2);
    group.afterCommit(() => heard.push(`two, committed: ${committedIds().join()}`));
    expect(heard).toEqual([]);
    await group.settled();
    expect(heard).toEqual(['one, committed: 1,2', 'two, committed: 1,2']);
    // With no group open, an announcement is made at once.
    group.afterCommit(() => heard.push('now'));
    expect(heard).toHaveLength(3);
  });

  it('fails the whole group when its commit fails: nothing written, nothing announced, the next group unaffected', async () => {
    const heard: string[] = [];
    insert(1);
    insert(2, 99); // a deferred foreign key: only the COMMIT finds it broken
    group.afterCommit(() => heard.push('never'));
    await expect(group.settled()).rejects.toThrow(/FOREIGN KEY/);
    expect(reported).toHaveLength(1);
    expect(heard).toEqual([]);
    expect(writer.inTransaction).toBe(false);
    expect(writer.prepare('select count(*) as n from t').get()).toEqual({ n: 0 });

    insert(3);
    await group.settled();
    expect(committedIds()).toEqual([3]);
  });

  it('keeps a failed explicit transaction inside the group to itself', async () => {
    insert(1);
    const failing = writer.transaction(() => {
      writer.prepare('insert into t (id, v) values (2, ?)').run('v2');
      throw new Error('changed my mind');
    });
    expect(() => failing()).toThrow('changed my mind');
    writer.transaction(() => writer.prepare('insert into t (id, v) values (3, ?)').run('v3'))();
    // The explicit transactions were savepoints of the open group: committed with it.
    expect(committedIds()).toEqual([]);
    await group.settled();
    expect(committedIds()).toEqual([1, 3]);
  });

  it('leaves writes inside an explicit transaction to that transaction', async () => {
    writer.transaction(() => insert(1))();
    expect(committedIds()).toEqual([1]);
    expect(writer.inTransaction).toBe(false);
    await group.settled();
  });

  it('commits at once when flushed', () => {
    insert(1);
    group.flush();
    expect(committedIds()).toEqual([1]);
    expect(writer.inTransaction).toBe(false);
  });
});

describe('openDb', () => {
  it('commits the open group when the database is closed', () => {
    const path = join(dir, 'hookgate.db');
    const db = openDb(path, { backgroundCheckpoints: false });
    db.$group.join();
    db.$client.prepare(`insert into tenants (id, name, created_at) values ('t1', 'acme', 0)`).run();
    db.$client.close();
    const again = new Database(path, { readonly: true });
    try {
      expect(again.prepare('select name from tenants').all()).toEqual([{ name: 'acme' }]);
    } finally {
      again.close();
    }
  });
});

describe('group commit failures', () => {
  it('counts failed groups and tells the rollback listeners', async () => {
    const rolledBack: number[] = [];
    group.onRollback(() => rolledBack.push(group.failures));
    insert(1, 99);
    await expect(group.settled()).rejects.toThrow();
    insert(2);
    await group.settled();
    expect(group.failures).toBe(1);
    expect(rolledBack).toEqual([1]);
  });

  it('fails the group when SQLite rolled it back by itself, and starts a new one for the next write', async () => {
    const heard: string[] = [];
    insert(1);
    group.afterCommit(() => heard.push('never'));
    const first = group.settled();
    // What SQLite does on a full disk or an I/O error in the middle of a statement.
    writer.exec('ROLLBACK');
    insert(2);
    await expect(first).rejects.toThrow(/rolled back/);
    await group.settled();
    expect(heard).toEqual([]);
    expect(group.failures).toBe(1);
    expect(committedIds()).toEqual([2]);
  });
});
