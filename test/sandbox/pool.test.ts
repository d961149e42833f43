import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { hookRequest } from './helpers.ts';

// Module state survives between runs in the same context, so a counter shows when a context
// (or its whole isolate) was replaced.
const COUNTER = 'let runs = 0; module.exports = (u, c, cb) => cb(null, ++runs);';
const OTHER = 'let runs = 100; module.exports = (u, c, cb) => cb(null, ++runs);';

async function responses(sandbox: ReturnType<typeof createSandbox>, scripts: string[]) {
  const out = [];
  // One tenant (its scripts share an isolate, and its warm contexts, with isolatePer: 'tenant').
  for (const script of scripts) out.push((await sandbox.run(hookRequest(script, { tenantId: 'tenant-a' }))).response);
  return out;
}

describe('isolate pool', () => {
  it('rebuilds an isolate after maxRunsPerIsolate runs', async () => {
    const sandbox = createSandbox({ poolSize: 1, maxRunsPerIsolate: 3 });
    try {
      expect(await responses(sandbox, Array(7).fill(COUNTER))).toEqual([1, 2, 3, 1, 2, 3, 1]);
    } finally {
      await sandbox.dispose();
    }
  });

  it('rebuilds an isolate whose heap passes heapRebuildRatio', async () => {
    // Any heap is above this ratio: the isolate is rebuilt at the first heap check after a new context.
    const sandbox = createSandbox({ poolSize: 1, heapRebuildRatio: 0.0001 });
    try {
      expect(await responses(sandbox, [COUNTER, COUNTER, COUNTER])).toEqual([1, 1, 1]);
    } finally {
      await sandbox.dispose();
    }
  });

  it('keeps at most contextsPerIsolate warm contexts, least recently used evicted', async () => {
    const sandbox = createSandbox({ poolSize: 1, contextsPerIsolate: 2, isolatePer: 'tenant' });
    const third = 'let runs = 200; module.exports = (u, c, cb) => cb(null, ++runs);';
    try {
      expect(await responses(sandbox, [COUNTER, OTHER, COUNTER, OTHER])).toEqual([1, 101, 2, 102]);
      // `third` evicts COUNTER (least recently used); OTHER stays warm.
      expect(await responses(sandbox, [third, OTHER, COUNTER])).toEqual([201, 103, 1]);
    } finally {
      await sandbox.dispose();
    }
  });

  it('validates its options', () => {
    expect(() => createSandbox({ memoryLimitMb: 4 })).toThrow(/at least 8/);
    expect(() => createSandbox({ heapRebuildRatio: 2 })).toThrow(/heapRebuildRatio/);
    expect(() => createSandbox({ poolSize: 0 })).toThrow(/poolSize/);
  });

  it('rejects a malformed request instead of running it', async () => {
    const sandbox = createSandbox({ poolSize: 1 });
    try {
      await expect(sandbox.run({ ...hookRequest(COUNTER), timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
      await expect(sandbox.run({ ...hookRequest(COUNTER), args: 'nope' as never })).rejects.toThrow(/args/);
    } finally {
      await sandbox.dispose();
    }
  });
});
