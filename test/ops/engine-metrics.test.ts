/**
 * /metrics shows what the real sandbox engine reports (processes, isolates, recycles, crashes),
 * read from a service built with the default engine: its sandbox processes, not a fake.
 */
import { describe, expect, it } from 'vitest';
import { createIsolatePoolEngine } from '../../src/ops/sandbox-seam.ts';
import { startTestService } from './service-helpers.ts';

const engineSample = (metrics: string, stat: string) => {
  const match = new RegExp(`^hookgate_sandbox_engine\\{stat="${stat}"\\} (\\d+)$`, 'm').exec(metrics);
  return match ? Number(match[1]) : undefined;
};

type Gql = Awaited<ReturnType<typeof startTestService>>['gql'];

/** /metrics once a trivial hook ran (the engine starts with the first run). */
async function metricsAfterARun(origin: string, gql: Gql): Promise<string> {
  const created = await gql(`mutation { createHook(input: {name: "m", triggerId: "pre-user-registration", script: "module.exports = function (u, c, cb) { cb(null, {}) }"}) { ... on CreateHookSuccess { hook { id } } } }`);
  const ran = await gql(`mutation($id: ID!) { runHook(input: {hookId: $id}) { ... on RunHookSuccess { execution { status } } } }`, { id: created.createHook.hook.id });
  expect(ran.runHook.execution.status).toBe('SUCCEEDED');
  return (await fetch(`${origin}/metrics`)).text();
}

describe('metrics of the sandbox engine', async () => {
  const { origin, gql } = await startTestService({ HOOKGATE_SANDBOX_POOL_SIZE: '1' }, createIsolatePoolEngine);

  it('counts its live sandbox process and isolates once a hook ran, and no crash', async () => {
    const metrics = await metricsAfterARun(origin, gql);
    expect(engineSample(metrics, 'processes')).toBe(1);
    expect(engineSample(metrics, 'crashes')).toBe(0);
    expect(engineSample(metrics, 'recycles')).toBe(0);
    // Isolates arrive with the process's heartbeats: reported, whatever the count at this instant.
    expect(engineSample(metrics, 'isolates')).toEqual(expect.any(Number));
  });
});

describe('sandbox settings an operator sets', async () => {
  const { origin, gql } = await startTestService(
    { HOOKGATE_SANDBOX_POOL_SIZE: '1', HOOKGATE_SANDBOX_PROCESSES: '2', HOOKGATE_SANDBOX_MAX_ISOLATES: '4', HOOKGATE_SANDBOX_TENANT_SLOTS: '1', HOOKGATE_SANDBOX_PROCESS_MEMORY_MB: '512' },
    createIsolatePoolEngine,
  );

  it('reach the engine: HOOKGATE_SANDBOX_PROCESSES=2 runs two sandbox processes', async () => {
    const metrics = await metricsAfterARun(origin, gql);
    expect(engineSample(metrics, 'processes')).toBe(2);
  });
});
