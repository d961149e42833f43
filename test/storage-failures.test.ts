import { decodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp, RUN_HOOK } from './helpers.ts';

// SQLite rolls a transaction back by itself on a full disk or an I/O error; a ROLLBACK on the
// service's connection stands in for that here.
describe('when the database loses a group of writes', () => {
  it('numbers the next log line from what is stored, not from the lost lines', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: 'module.exports = (u, c, cb) => cb(null, {})' });
    const { executionStore, hooks } = app.services;
    const row = hooks.find(app.services.tokens.authenticate(app.adminToken).tenantId, decodeGlobalID(hook.id).id);
    const execution = executionStore.insert({
      id: '01900000-0000-7000-8000-000000000001', tenantId: row.tenantId, hookId: row.id, versionId: null, triggerId: row.triggerId,
      status: 'RUNNING', source: 'RUNNER', attempts: 0, payload: {}, response: null, effectiveResponse: null, outcome: null, warnings: [],
      error: null, logsTruncated: false, durationMs: null, cpuTimeMs: null, pendingInput: null, createdAt: 0, startedAt: 0, finishedAt: null,
    });
    await app.db.$group.settled();
    expect(executionStore.appendLog(execution.id, { level: 'LOG', message: 'lost', time: 1 })?.seq).toBe(1);
    const lost = app.db.$group.settled();
    app.db.$client.exec('ROLLBACK');
    expect(executionStore.appendLog(execution.id, { level: 'LOG', message: 'kept', time: 2 })?.seq).toBe(1);
    await expect(lost).rejects.toThrow();
    await app.db.$group.settled();
    expect(executionStore.logs(execution.id, { limit: 10 }).map((line) => `${line.seq} ${line.message}`)).toEqual(['1 kept']);
  });

  it('answers a run whose record was lost with an error, not with a missing hook', async () => {
    const app = createTestApp();
    // The run's start is written (at its first console line, if not before: services/run-record.ts),
    // and the group holding it fails while the hook runs.
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: "module.exports = (u, c, cb) => { console.log('hi'); cb(null, {}) }" });
    const store = app.services.executionStore;
    const insert = store.insert;
    store.insert = (row) => {
      const stored = insert.call(store, row);
      if (row.status === 'RUNNING') app.db.$client.exec('ROLLBACK');
      return stored;
    };
    const result = await app.gql(RUN_HOOK, { input: { hookId: hook.id } });
    expect(result.data?.runHook ?? null).toBeNull();
    expect(result.errors?.map((error) => error.message)).toEqual(['Unexpected error.']);
    // Nothing half-written is left behind.
    expect(await app.ok(`{ executions(first: 5) { edges { node { status } } } }`)).toEqual({ executions: { edges: [] } });
  });
});
