import { describe, expect, it } from 'vitest';
import { executions } from '../src/db/schema.ts';
import { createHook, createTenant, createTestApp, runHook, type TestApp } from './helpers.ts';

const OK_SCRIPT = 'module.exports = function (user, context, cb) { cb(null, {}) }';
const FAIL_SCRIPT = 'module.exports = function (user, context, cb) { cb(new Error("no")) }';

const PAGE = `query($first: Int!, $after: String, $filter: ExecutionFilter) {
  executions(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id status source triggerId hook { name } hookVersion { version } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function readAll(app: TestApp, filter: Record<string, unknown>, pageSize: number, between?: () => Promise<void>) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const data: any = await app.ok(PAGE, { first: pageSize, after, filter });
    ids.push(...data.executions.edges.map((e: any) => e.node.id));
    if (!data.executions.pageInfo.hasNextPage) break;
    after = data.executions.pageInfo.endCursor;
    await between?.();
  }
  return ids;
}

describe('executions', () => {
  it('lists newest first, filters by hook, trigger, status, source and time, and counts', async () => {
    const app = createTestApp();
    const good = await createHook(app, { name: 'good', triggerId: 'pre-user-registration', script: OK_SCRIPT });
    const bad = await createHook(app, { name: 'bad', triggerId: 'post-user-registration', script: FAIL_SCRIPT });
    const first = await runHook(app, { hookId: good.id });
    await runHook(app, { hookId: bad.id });
    const last = await runHook(app, { hookId: good.id });

    const all = await app.ok(PAGE, { first: 10 });
    expect(all.executions.totalCount).toBe(3);
    expect(all.executions.edges[0].node.id).toBe(last.id);
    expect(all.executions.edges[2].node.id).toBe(first.id);

    const count = async (filter: Record<string, unknown>) => (await app.ok(PAGE, { first: 10, filter })).executions.totalCount;
    expect(await count({ hookId: good.id })).toBe(2);
    expect(await count({ triggerId: 'post-user-registration' })).toBe(1);
    expect(await count({ status: 'FAILED' })).toBe(1);
    expect(await count({ status: 'SUCCEEDED', hookId: good.id })).toBe(2);
    expect(await count({ source: 'DISPATCH' })).toBe(0);
    expect(await count({ since: new Date(Date.now() + 60_000).toISOString() })).toBe(0);
    expect(await count({ until: new Date(Date.now() - 60_000).toISOString() })).toBe(0);
    expect(await count({ since: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 60_000).toISOString() })).toBe(3);

    const perHook = await app.ok(`query($id: ID!) { hook(id: $id) { executions(first: 10) { totalCount edges { node { id } } } } }`, { id: good.id });
    expect(perHook.hook.executions.totalCount).toBe(2);
    expect(perHook.hook.executions.edges.map((e: any) => e.node.id)).toEqual([last.id, first.id]);
  });

  it('pages with keyset cursors without duplicates or gaps while new executions arrive', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'many', triggerId: 'pre-user-registration', script: OK_SCRIPT });
    for (let i = 0; i < 12; i++) await runHook(app, { hookId: hook.id });
    const before = (await app.ok(PAGE, { first: 100 })).executions.edges.map((e: any) => e.node.id);
    // A new run lands between every two pages; the pages continue where they were.
    const paged = await readAll(app, {}, 5, async () => void (await runHook(app, { hookId: hook.id })));
    expect(paged).toEqual(before);
    expect(new Set(paged).size).toBe(12);
  });

  it('keeps executions within their tenant', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'mine', triggerId: 'pre-user-registration', script: OK_SCRIPT });
    await runHook(app, { hookId: hook.id });
    const other = await createTenant(app, 'other');
    const theirs = await app.ok(PAGE, { first: 10 }, other);
    expect(theirs.executions).toMatchObject({ totalCount: 0, edges: [] });
    const byForeignHook = await app.ok(PAGE, { first: 10, filter: { hookId: hook.id } }, other);
    expect(byForeignHook.executions.totalCount).toBe(0);
  });

  it('reads a page of 100 executions with their hooks and versions in a constant number of statements', async () => {
    let statements = 0;
    const app = createTestApp({ onQuery: () => statements++ });
    const hooks = [];
    for (let i = 0; i < 5; i++) hooks.push(await createHook(app, { name: `hook ${i}`, triggerId: 'post-change-password', script: OK_SCRIPT }));
    for (let i = 0; i < 100; i++) await runHook(app, { hookId: hooks[i % 5].id });
    const measure = async (first: number) => {
      statements = 0;
      const data = await app.ok(`query($first: Int!) { executions(first: $first) { edges { node { id status hook { name script } hookVersion { version } logs(first: 5) { edges { node { message } } } } } } }`, { first });
      expect(data.executions.edges).toHaveLength(first);
      expect(data.executions.edges[0].node.hook.name).toMatch(/^hook /);
      expect(data.executions.edges[0].node.hookVersion.version).toBe(1);
      return statements;
    };
    const forHundred = await measure(100);
    const forTen = await measure(10);
    expect(forHundred).toBe(forTen);
    expect(forHundred).toBeLessThanOrEqual(6);
  });

  it('sweeps executions past the retention age in batches, lines included', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'old', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { console.log("hi"); cb(null, {}) }' });
    for (let i = 0; i < 7; i++) await runHook(app, { hookId: hook.id });
    const dayMs = 24 * 60 * 60 * 1000;
    // Age five of the seven by 40 days.
    const rows = app.db.select({ id: executions.id }).from(executions).orderBy(executions.id).all();
    for (const { id } of rows.slice(0, 5)) {
      app.db.$client.prepare('update executions set created_at = created_at - ? where id = ?').run(40 * dayMs, id);
    }
    const deleted = await app.services.retention.sweep({ maxAgeMs: 30 * dayMs, batchSize: 2 });
    expect(deleted).toBe(5);
    const left = app.db.select({ id: executions.id }).from(executions).orderBy(executions.id).all();
    expect(left.map((r) => r.id)).toEqual(rows.slice(5).map((r) => r.id));
    expect((app.db.$client.prepare('select count(*) as n from execution_logs').get() as { n: number }).n).toBe(2);
  });
});
