/**
 * Runs the stopping service refuses before they start (its sandbox gate closed, as at the stop's
 * deadline: `ended: 'NOT_STARTED'`, `stopping`). Nothing of the hook's ran, so nothing counts as an
 * attempt; a caller waiting gets a typed error; an async run, acknowledged at its dispatch, is not
 * lost: it is QUEUED again and runs at the next start, as the README's "Stopping" promises for
 * queued runs the queue had not started yet.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { executions } from '../src/db/schema.ts';
import { gateSandbox } from '../src/ops/sandbox-seam.ts';
import type { Sandbox } from '../src/sandbox/types.ts';
import { createHook, createTestApp, logMessages, runHook, testSandbox } from './helpers.ts';

// The gate as the stop's deadline leaves it, until `stopping` is cleared (the next start).
const real = testSandbox();
const gate = gateSandbox(real, { started() {}, ended() {} });
gate.close();
let stopping = true;
// The stop's deadline records what is RUNNING as interrupted before the refusal reaches the run.
let interruptFirst = false;
const sandbox: Sandbox = {
  run: (request) => {
    if (stopping && interruptFirst) app.services.executionStore.markInterrupted();
    return (stopping ? gate.sandbox : real).run(request);
  },
  checkSyntax: (script) => real.checkSyntax(script),
  dispose: async () => {},
};
const app = createTestApp({ sandbox });

const DISPATCH = `mutation($input: DispatchTriggerInput!) {
  dispatchTrigger(input: $input) { __typename ... on DispatchTriggerSuccess { executions { id status attempts } } }
}`;

describe('a run refused because the service is stopping', () => {
  it('is recorded FAILED with no attempt and the typed ServiceStopping error', async () => {
    const hook = await createHook(app, { name: 'blocking', triggerId: 'pre-user-registration', script: 'module.exports = (u, c, cb) => cb(null, {});' });
    const execution = await runHook(app, { hookId: hook.id });
    expect(execution).toMatchObject({
      status: 'FAILED',
      attempts: 0,
      error: { name: 'ServiceStopping', message: 'The service is stopping: the run was not started' },
      cpuTimeMs: 0,
    });
  });

  it('leaves an async run QUEUED with no attempt, and it runs at the next start', async () => {
    await createHook(app, {
      name: 'async',
      triggerId: 'post-user-registration',
      retries: 2,
      script: "module.exports = (u, c, cb) => { console.log('ran for', u.id); cb(null, {}); };",
    });
    const dispatched = (await app.ok(DISPATCH, { input: { triggerId: 'post-user-registration', payload: { user: { id: 'u1' }, context: {} } } })).dispatchTrigger;
    const id = dispatched.executions[0].id as string;
    const stored = () => app.db.select().from(executions).where(eq(executions.triggerId, 'post-user-registration')).get()!;
    // The queue took it, and the closed gate refused it.
    await app.services.dispatch.idle();
    const refused = stored();
    expect(refused).toMatchObject({ status: 'QUEUED', attempts: 0, startedAt: null, finishedAt: null, error: null });
    expect(refused.pendingInput).not.toBeNull();

    // The next start resumes what is QUEUED.
    stopping = false;
    expect(app.services.dispatch.resumeQueued()).toBe(1);
    await app.services.dispatch.idle();
    const done = await app.ok(`query($id: ID!) { execution(id: $id) { status attempts error { name } logs { edges { node { message } } } } }`, { id });
    expect(done.execution).toMatchObject({ status: 'SUCCEEDED', attempts: 1, error: null });
    expect(logMessages(done.execution)).toEqual(['The service stopped before this run started: it runs at the next start', 'ran for u1']);
    expect(stored().pendingInput).toBeNull();
  });

  it("keeps its payload when the stop's deadline recorded it interrupted before the refusal reached it", async () => {
    stopping = true;
    interruptFirst = true;
    const dispatched = (await app.ok(DISPATCH, { input: { triggerId: 'post-user-registration', payload: { user: { id: 'u2' }, context: {} } } })).dispatchTrigger;
    const id = dispatched.executions[0].id as string;
    await app.services.dispatch.idle();
    const refused = app.db.select().from(executions).all().filter((e) => e.status === 'QUEUED');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ attempts: 0, error: null });
    expect(refused[0]!.pendingInput).not.toBeNull();

    stopping = false;
    interruptFirst = false;
    expect(app.services.dispatch.resumeQueued()).toBe(1);
    await app.services.dispatch.idle();
    const done = await app.ok(`query($id: ID!) { execution(id: $id) { status attempts logs { edges { node { message } } } } }`, { id });
    expect(done.execution).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(logMessages(done.execution)).toContain('ran for u2');
  });
});
