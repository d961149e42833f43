import { decodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp, runHook } from './helpers.ts';
import { hugeKeysWedge } from './wedge-probe.ts';

// A property key of tens of megabytes: V8 fails catastrophically instead of stopping the script at
// its memory limit, and the isolate's memory is never given back to the process.
const WEDGES = "module.exports = function (user, context, cb) { for (const mb of [20, 40, 80, 160]) ({ ['y'.repeat(mb << 20)]: mb }); cb(null, {}); };";
const NORMAL = 'module.exports = function (user, context, cb) { cb(null, { ok: true }); };';

// Only where V8 still wedges on a huge property key (Node 24; Node 26 allocates it).
describe.skipIf(!hugeKeysWedge)('hooks that wedge isolates', () => {
  it('are refused for a cool-off that doubles, with a recorded execution saying until when; other hooks run on', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const app = createTestApp({ clock: { now: () => now } });
    const wedging = await createHook(app, { name: 'wedging', triggerId: 'post-user-registration', script: WEDGES, timeoutMs: 10_000 });
    const normal = await createHook(app, { name: 'normal', triggerId: 'pre-user-registration', script: NORMAL });

    const first = await runHook(app, { hookId: wedging.id });
    expect(first).toMatchObject({ status: 'MEMORY_LIMIT_EXCEEDED', attempts: 1, error: { name: 'MemoryLimitExceeded' } });
    expect(first.error.message).toMatch(/Its sandbox process was replaced: runs of this hook are refused until 2026-11-22T10:01:00.000Z$/);

    // Refused without running: no attempt, no time spent, the reason and the time it ends.
    const refused = await runHook(app, { hookId: wedging.id });
    expect(refused).toMatchObject({ status: 'FAILED', attempts: 0, durationMs: 0, cpuTimeMs: 0, error: { name: 'HookQuarantined' } });
    expect(refused.error.message).toBe(
      "Runs of this hook are refused until 2026-11-22T10:01:00.000Z: it exhausted the sandbox's memory beyond recovery once " +
        '(an allocation too large for the memory limit, such as a huge string used as a property key)',
    );
    // Drafts of that hook too: they run as the hook.
    const draft = await runHook(app, { hookId: wedging.id, script: NORMAL });
    expect(draft).toMatchObject({ status: 'FAILED', error: { name: 'HookQuarantined' } });

    // The tenant's other hooks are not held back by a first event.
    expect(await runHook(app, { hookId: normal.id })).toMatchObject({ status: 'SUCCEEDED', response: { ok: true } });

    // After the cool-off the hook runs again; wedging again doubles the next one.
    now += 60_000;
    expect(await runHook(app, { hookId: wedging.id })).toMatchObject({ status: 'MEMORY_LIMIT_EXCEEDED' });
    const again = await runHook(app, { hookId: wedging.id });
    expect(again.error.message).toContain('refused until 2026-11-22T10:03:00.000Z: it exhausted the sandbox\'s memory beyond recovery 2 times');

    // The record lists them like any other run.
    const listed = await app.ok(`query($hookId: ID!) { executions(first: 10, filter: {hookId: $hookId}) { edges { node { status error { name } } } } }`, {
      hookId: wedging.id,
    });
    expect(listed.executions.edges.map((edge: any) => `${edge.node.status} ${edge.node.error.name}`)).toEqual([
      'FAILED HookQuarantined',
      'MEMORY_LIMIT_EXCEEDED MemoryLimitExceeded',
      'FAILED HookQuarantined',
      'FAILED HookQuarantined',
      'MEMORY_LIMIT_EXCEEDED MemoryLimitExceeded',
    ]);
  }, 30_000);

  it('refuses runs that were waiting for an isolate when their hook was refused, and counts a burst once', async () => {
    const app = createTestApp();
    const wedging = await createHook(app, { name: 'burst', triggerId: 'post-user-registration', script: WEDGES, timeoutMs: 10_000 });
    // The test sandbox has two isolates: two runs start at once, the rest wait for one.
    const results = await Promise.all([1, 2, 3, 4].map(() => runHook(app, { hookId: wedging.id })));
    const outcomes = results.map((execution: any) => `${execution.status} ${execution.error.name}`).sort();
    expect(outcomes.filter((outcome) => outcome === 'FAILED HookQuarantined').length).toBeGreaterThanOrEqual(2);
    expect(outcomes.filter((outcome) => outcome === 'MEMORY_LIMIT_EXCEEDED MemoryLimitExceeded').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.length).toBe(4);
    const tenantId = app.services.tokens.authenticate(app.adminToken).tenantId;
    expect(app.services.quarantine.refusal(tenantId, decodeGlobalID(wedging.id).id)).toMatchObject({ scope: 'hook', events: 1 });
  }, 30_000);
});
