import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.ts';
import { gateSandbox } from '../../src/ops/sandbox-seam.ts';
import type { RunRequest, RunResult, Sandbox } from '../../src/sandbox/types.ts';

describe('metrics', () => {
  it('shows what the sandbox engine reports, and the queue depth at scrape time', async () => {
    let depth = 3;
    const metrics = createMetrics({ queueDepth: () => depth, sandboxStats: () => ({ processes: 2, crashes: 1 }) });
    let text = await metrics.registry.metrics();
    expect(text).toContain('hookgate_sandbox_engine{stat="processes"} 2');
    expect(text).toContain('hookgate_sandbox_engine{stat="crashes"} 1');
    expect(text).not.toContain('stat="isolates"');
    expect(text).toContain('hookgate_queue_depth 3');
    depth = 0;
    text = await metrics.registry.metrics();
    expect(text).toContain('hookgate_queue_depth 0');
  });

  it('bounds the operation names clients choose', async () => {
    const metrics = createMetrics({ queueDepth: () => 0 });
    for (let i = 0; i < 250; i++) metrics.graphqlOperation(`Op${i}`, 'query', true, 0.001);
    metrics.graphqlOperation('not a name!', 'query', true, 0.001);
    metrics.graphqlOperation(null, 'query', false, 0.001);
    const text = await metrics.registry.metrics();
    expect(text).toContain('hookgate_graphql_operations_total{operation="Op199",type="query",result="ok"} 1');
    expect(text).not.toContain('operation="Op200"');
    expect(text).toContain('hookgate_graphql_operations_total{operation="other",type="query",result="ok"} 51');
    expect(text).toContain('hookgate_graphql_operations_total{operation="anonymous",type="query",result="error"} 1');
  });
});

describe('the gated sandbox', () => {
  const request: RunRequest = { cacheKey: 'k', script: '', args: [], env: {}, timeoutMs: 1000 };
  const result: RunResult = { status: 'SUCCEEDED', response: 1, logs: [], logsTruncated: false, durationMs: 1, cpuTimeMs: 1, ended: 'RAN' };

  /** A sandbox whose runs end when the test says. */
  function manual() {
    const pending: (() => void)[] = [];
    const sandbox: Sandbox = {
      run: () => new Promise((resolve) => pending.push(() => resolve(result))),
      checkSyntax: async () => null,
      dispose: async () => {},
    };
    return { sandbox, finishAll: () => pending.splice(0).forEach((finish) => finish()) };
  }

  it('counts runs in flight, and is idle once they end', async () => {
    const inner = manual();
    const ended: string[] = [];
    const gate = gateSandbox(inner.sandbox, { started: () => {}, ended: (r) => ended.push(r.status) });
    const run = gate.sandbox.run(request);
    expect(gate.active).toBe(1);
    let idle = false;
    const waiting = gate.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    inner.finishAll();
    expect(await run).toBe(result);
    await waiting;
    expect(gate.active).toBe(0);
    expect(ended).toEqual(['SUCCEEDED']);
  });

  it('refuses runs once closed, and answers abandoned ones as interrupted, whatever the run does later', async () => {
    const inner = manual();
    const ended: string[] = [];
    const gate = gateSandbox(inner.sandbox, { started: () => {}, ended: (result) => ended.push(result.status) });
    const running = gate.sandbox.run(request);
    gate.close();
    expect(await gate.sandbox.run(request)).toMatchObject({ status: 'FAILED', error: { name: 'ServiceStopping' } });
    gate.abandon();
    expect(await running).toMatchObject({ status: 'FAILED', interrupted: true, error: { name: 'Interrupted', message: 'The service stopped while this run was in progress' } });
    await gate.idle();
    inner.finishAll();
    await new Promise((resolve) => setImmediate(resolve));
    // The late result is nobody's: not counted as a run that ended.
    expect(ended).toEqual([]);
  });
});
