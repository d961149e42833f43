import { describe, expect, it } from 'vitest';
import type { ExecutionRow } from '../src/db/schema.ts';
import { notStartedResult } from '../src/sandbox/index.ts';
import type { RunResult, Sandbox } from '../src/sandbox/types.ts';
import { INTERRUPTED_ERROR } from '../src/services/execution-store.ts';
import { createHook, createTestApp, RUN_HOOK, testSandbox } from './helpers.ts';

const SUCCESS: RunResult = { status: 'SUCCEEDED', ended: 'RAN', response: {}, error: null, logs: [], logsTruncated: false, durationMs: 1, cpuTimeMs: 1 };

/** A sandbox whose runs succeed at once, or (held) when `release` is called. */
function fakeSandbox() {
  const real = testSandbox();
  const held: (() => void)[] = [];
  let hold = false;
  const sandbox: Sandbox = {
    run: () => (hold ? new Promise((resolve) => held.push(() => resolve(SUCCESS))) : Promise.resolve(SUCCESS)),
    checkSyntax: (script) => real.checkSyntax(script),
    dispose: async () => {},
  };
  return { sandbox, holdRuns: () => (hold = true), release: () => held.splice(0).forEach((resolve) => resolve()) };
}

async function appWithHook(sandbox: Sandbox) {
  const app = createTestApp({ sandbox });
  const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: 'module.exports = (u, c, cb) => cb(null, {})' });
  const events: ExecutionRow[] = [];
  app.services.events.observe('execution:updated', (row) => events.push(row));
  return { app, hook, events };
}

const EXECUTIONS = `{ executions(first: 5) { edges { node { id status error { name } } } } }`;

describe('the record of a run its caller waits for', () => {
  it('is written once, as it ended, when the run ends at once: one live event', async () => {
    const { sandbox } = fakeSandbox();
    const { app, hook, events } = await appWithHook(sandbox);
    const result = await app.gql(RUN_HOOK, { input: { hookId: hook.id } });
    expect(result.data.runHook.__typename).toBe('RunHookSuccess');
    expect(events.map((row) => row.status)).toEqual(['SUCCEEDED']);
    const { executions } = await app.ok(EXECUTIONS);
    expect(executions.edges.map((edge: { node: { status: string } }) => edge.node.status)).toEqual(['SUCCEEDED']);
  });

  it('is written RUNNING once the run has gone on for a while, then ended', async () => {
    const { sandbox, holdRuns, release } = fakeSandbox();
    const { app, hook, events } = await appWithHook(sandbox);
    holdRuns();
    const answered = app.gql(RUN_HOOK, { input: { hookId: hook.id } });
    // The run answers once its RUNNING row is announced (committed).
    await new Promise<void>((resolve) => app.services.events.observe('execution:updated', () => resolve()));
    expect((await app.ok(EXECUTIONS)).executions.edges.map((edge: { node: { status: string } }) => edge.node.status)).toEqual(['RUNNING']);
    release();
    expect((await answered).data.runHook.__typename).toBe('RunHookSuccess');
    expect(events.map((row) => row.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(new Set(events.map((row) => row.id)).size).toBe(1);
  });

  it('is written at the deadline of a stop, to be counted and recorded interrupted like the others', async () => {
    let markedInterrupted = -1;
    const { app, hook } = await appWithHook({
      ...fakeSandbox().sandbox,
      // The stop's deadline comes while the run is in the sandbox (src/service.ts, interrupt).
      run: async () => {
        app.services.runs.writeUnwritten();
        markedInterrupted = app.services.executionStore.markInterrupted();
        return { ...notStartedResult(INTERRUPTED_ERROR), interrupted: true };
      },
    });
    const result = await app.gql(RUN_HOOK, { input: { hookId: hook.id } });
    expect(result.data.runHook.__typename).toBe('RunHookSuccess');
    expect(markedInterrupted).toBe(1);
    const { executions } = await app.ok(EXECUTIONS);
    expect(executions.edges.map((edge: { node: { status: string; error: { name: string } } }) => [edge.node.status, edge.node.error.name])).toEqual([['FAILED', 'Interrupted']]);
  });

  it('says so in a FAILED row when the group that held its only write was lost', async () => {
    const { sandbox } = fakeSandbox();
    const { app, hook } = await appWithHook(sandbox);
    const store = app.services.executionStore;
    const insert = store.insert;
    let lost = false;
    store.insert = (row) => {
      const stored = insert.call(store, row);
      if (row.status === 'SUCCEEDED' && !lost) {
        lost = true;
        app.db.$client.exec('ROLLBACK');
      }
      return stored;
    };
    const result = await app.gql(RUN_HOOK, { input: { hookId: hook.id } });
    expect(result.errors?.map((error) => error.message)).toEqual(['Unexpected error.']);
    const { executions } = await app.ok(EXECUTIONS);
    expect(executions.edges.map((edge: { node: { status: string; error: { name: string } } }) => [edge.node.status, edge.node.error.name])).toEqual([['FAILED', 'StorageError']]);
  });
});
