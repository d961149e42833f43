/** startRun: a Runner run answered at once, RUNNING, then followed live by its id. */
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp, RUN_HOOK } from './helpers.ts';

const TICKER = `module.exports = function (user, context, cb) {
  var n = 0;
  var timer = setInterval(function () {
    n++;
    console.log('tick ' + n);
    if (n === 3) { clearInterval(timer); cb(null, { user: { app_metadata: { ticks: n } } }); }
  }, 200);
};`;

const START_RUN = `mutation($input: RunHookInput!) {
  startRun(input: $input) {
    __typename
    ... on Error { message }
    ... on ScriptSyntaxError { line column }
    ... on StartRunSuccess { execution { id status source finishedAt } }
  }
}`;

const LOGS = `subscription($id: ID!) { executionLogs(executionId: $id) { seq message } }`;

describe('startRun', () => {
  it('answers with the RUNNING execution, whose lines and end can then be followed', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'ticker', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' });
    // A draft: what the console's Runner sends.
    const data = await app.ok(START_RUN, { input: { hookId: hook.id, script: TICKER } });
    expect(data.startRun.__typename).toBe('StartRunSuccess');
    const started = data.startRun.execution;
    expect(started).toMatchObject({ status: 'RUNNING', source: 'RUNNER', finishedAt: null });

    const response = await app.yoga.fetch('http://hookgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify({ query: LOGS, variables: { id: started.id } }),
    });
    const text = await response.text(); // the stream completes when the run ends
    const lines = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!).data?.executionLogs?.message).filter(Boolean);
    expect(lines).toEqual(['tick 1', 'tick 2', 'tick 3']);

    const ended = await app.ok(`query($id: ID!) { execution(id: $id) { status response hookVersion { version } } }`, { id: started.id });
    expect(ended.execution).toEqual({ status: 'SUCCEEDED', response: { user: { app_metadata: { ticks: 3 } } }, hookVersion: null });
  });

  it('refuses what runHook refuses before anything starts: a draft with a syntax error', async () => {
    const app = createTestApp();
    const hook = await createHook(app, { name: 'broken', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb(null, {}) }' });
    const data = await app.ok(START_RUN, { input: { hookId: hook.id, script: 'module.exports = function (\n  {' } });
    expect(data.startRun).toMatchObject({ __typename: 'ScriptSyntaxError', line: 2 });
    const runs = await app.ok(`{ executions(first: 5) { edges { node { id } } } }`);
    expect(runs.executions.edges).toEqual([]);
    // The same input through runHook still waits for the end.
    const waited = await app.ok(RUN_HOOK, { input: { hookId: hook.id } });
    expect(waited.runHook.execution.status).toBe('SUCCEEDED');
  });
});
