import { describe, expect, it } from 'vitest';
import type { RunRequest } from '../../src/sandbox/types.ts';
import { startTestService } from './service-helpers.ts';

/** An engine whose every run wedges its isolate (as a catastrophic out-of-memory does), for the events it causes. */
const wedging = () => ({
  sandbox: {
    run: async (request: RunRequest) => {
      // As the isolate pool does: the caller hears of it before the run's end.
      request.onIsolateLost?.();
      return { status: 'MEMORY_LIMIT_EXCEEDED' as const, error: { name: 'RangeError', message: 'out of memory' }, logs: [], logsTruncated: false, durationMs: 5, cpuTimeMs: 5, isolateLost: true, ended: 'RAN' as const };
    },
    checkSyntax: async () => null,
    dispose: async () => {},
  },
  stats: () => ({ processes: 1, crashes: 1 }),
});

describe('service events as log lines', async () => {
  const { gql, logs, origin, service } = await startTestService({}, wedging);

  it('answers /ready 503 naming the check that fails: a sandbox that cannot run the probe, a database that takes no write', async () => {
    let response = await fetch(`${origin}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      checks: { draining: { ok: true }, database: { ok: true }, sandbox: { ok: false, message: 'sandbox probe ended MEMORY_LIMIT_EXCEEDED: RangeError' } },
    });
    service.db.$client.pragma('query_only = ON');
    try {
      response = await fetch(`${origin}/ready`);
      const body = (await response.json()) as { checks: { database: { ok: boolean; message: string } } };
      expect(body.checks.database).toMatchObject({ ok: false, message: expect.stringContaining('database not writable') });
    } finally {
      service.db.$client.pragma('query_only = OFF');
    }
    expect((await fetch(`${origin}/health`)).status).toBe(200);
  });

  it('logs the migrations applied at start', () => {
    expect(logs.lines.find((line) => line.event === 'migrations-applied')).toMatchObject({ path: ':memory:', applied: expect.any(Number), total: expect.any(Number) });
  });

  it('logs a wedged isolate and the quarantine it starts, with fields, and counts it', async () => {
    const created = await gql(`mutation($input: CreateHookInput!) { createHook(input: $input) { ... on CreateHookSuccess { hook { id } } } }`, {
      input: { name: 'wedger', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb() }' },
    });
    const run = await gql(`mutation($hookId: ID!) { runHook(input: {hookId: $hookId}) { ... on RunHookSuccess { execution { status } } } }`, { hookId: created.createHook.hook.id });
    expect(run.runHook.execution.status).toBe('MEMORY_LIMIT_EXCEEDED');
    expect(logs.lines.find((line) => line.event === 'isolate-lost')).toMatchObject({ level: 40, status: 'MEMORY_LIMIT_EXCEEDED', cacheKey: expect.any(String) });
    expect(logs.lines.find((line) => line.event === 'quarantine')).toMatchObject({ level: 40, scope: 'hook', events: 1, hookId: expect.any(String), tenantId: expect.any(String), until: expect.any(String) });
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    expect(metrics).toContain('hookgate_sandbox_isolates_lost_total 1');
    expect(metrics).toContain('hookgate_sandbox_engine{stat="crashes"} 1');
  });
});
