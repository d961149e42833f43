/**
 * Runs cut off by a sandbox process that dies (typed `SandboxCrashed`): async runs start again,
 * blocking callers get the error at once and the pipeline is denied.
 */
import { describe, expect, it } from 'vitest';
import { executions } from '../src/db/schema.ts';
import type { ProcessBackedSandbox } from '../src/sandbox/index.ts';
import { createHook, createTestApp, logMessages, testSandbox } from './helpers.ts';

const DISPATCH = `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) {
  __typename ... on DispatchTriggerSuccess { outcome executions { id status error { name } } } } }`;
const WAITS = "module.exports = function (user, context, cb) { console.log('started'); setTimeout(function () { cb(null, {}) }, 300) }";

async function killSandboxWhen(ready: () => Promise<boolean>) {
  const sandbox = testSandbox() as ProcessBackedSandbox;
  await sandbox.ready();
  const pid = sandbox.pids()[0]!;
  while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 10));
  process.kill(pid, 'SIGKILL');
}

describe('a sandbox process that dies under runs', () => {
  it('starts an async run again, which then succeeds, and says so in its log', async () => {
    const app = createTestApp();
    await createHook(app, { name: 'waits', triggerId: 'post-user-registration', script: WAITS });
    const queued = (await app.ok(DISPATCH, { input: { triggerId: 'post-user-registration', payload: { user: { id: 'u1' }, context: {} } } })).dispatchTrigger;
    const id = queued.executions[0].id;
    const read = async () => (await app.ok(`query($id: ID!) { execution(id: $id) { status attempts logs { edges { node { message } } } } }`, { id })).execution;
    await killSandboxWhen(async () => logMessages(await read()).includes('started'));
    await app.services.dispatch.idle();
    const done = await read();
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    const messages = logMessages(done);
    expect(messages.filter((message) => message === 'started')).toHaveLength(2);
    expect(messages.some((message) => /^The run was cut off: the sandbox process ended \(SIGKILL\); started again$/.test(message))).toBe(true);
  });

  it('ends a blocking run with SandboxCrashed, and the pipeline is denied', async () => {
    const app = createTestApp();
    await createHook(app, { name: 'waits-blocking', triggerId: 'pre-user-registration', script: WAITS });
    const answer = app.ok(DISPATCH, { input: { triggerId: 'pre-user-registration', payload: { user: { email: 'a@b.c' }, context: {} } } });
    // RUNNING is recorded as the run is handed to the sandbox process.
    await killSandboxWhen(async () => app.db.select().from(executions).all().some((row) => row.status === 'RUNNING'));
    const result = (await answer).dispatchTrigger;
    expect(result).toMatchObject({ outcome: 'DENY', executions: [{ status: 'FAILED', error: { name: 'SandboxCrashed' } }] });
  });
});
