import { describe, expect, it } from 'vitest';
import { createRunQueue } from '../../src/services/run-queue.ts';

describe('the async run queue', () => {
  it("starts another tenant's run at once while one tenant's runs fill their share, and serves tenants in turn", async () => {
    const started: string[] = [];
    const finishers = new Map<string, () => void>();
    const queue = createRunQueue({
      concurrency: 3,
      perTenant: 2,
      run: (id) => {
        started.push(id);
        return new Promise<void>((resolve) => finishers.set(id, resolve));
      },
      onError: (id, error) => {
        throw new Error(`run ${id} failed: ${String(error)}`);
      },
    });
    for (let i = 1; i <= 5; i++) queue.push(`a${i}`, 'A');
    queue.push('b1', 'B');
    queue.push('b2', 'B');
    await new Promise((resolve) => setImmediate(resolve));
    // A holds its two, B gets the third slot although five of A's came first.
    expect(started).toEqual(['a1', 'b1', 'a2']);
    // A at its cap: a free slot goes to B's next run, not to A's third.
    finishers.get('b1')!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a1', 'b1', 'a2', 'b2']);
    for (const id of ['a1', 'a2', 'b2', 'a3', 'a4', 'a5']) {
      await new Promise((resolve) => setImmediate(resolve));
      finishers.get(id)!();
    }
    await queue.idle();
    expect(started).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'a4', 'a5']);
  });
});
