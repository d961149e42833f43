import { describe, expect, it } from 'vitest';
import { CpuSlots, type ReleaseSlot } from '../../src/sandbox/cpu-slots.ts';

/** Acquires a slot and records the order in which grants happen. */
function taker(slots: CpuSlots, granted: string[]) {
  return (tenant: string, label = tenant) => {
    const held: { release?: ReleaseSlot } = {};
    const done = slots.acquire(tenant).then((release) => {
      granted.push(label);
      held.release = release;
    });
    return { done, release: () => held.release!() };
  };
}

describe('CPU slots', () => {
  it('never gives one tenant more than its cap, so another tenant gets the free slot at once', async () => {
    const granted: string[] = [];
    const take = taker(new CpuSlots(2, 1), granted);
    const a1 = take('A', 'A1');
    take('A', 'A2');
    take('A', 'A3');
    const b1 = take('B', 'B1');
    await Promise.all([a1.done, b1.done]);
    expect(granted).toEqual(['A1', 'B1']);
    a1.release();
    await Promise.resolve();
    await Promise.resolve();
    expect(granted).toEqual(['A1', 'B1', 'A2']);
  });

  it('serves waiting tenants in turn, each tenant in arrival order', async () => {
    const granted: string[] = [];
    const take = taker(new CpuSlots(1, 1), granted);
    const takers = new Map([['A1', take('A', 'A1')]]);
    for (const [tenant, label] of [['A', 'A2'], ['A', 'A3'], ['B', 'B1'], ['C', 'C1'], ['B', 'B2']] as const) takers.set(label, take(tenant, label));
    await takers.get('A1')!.done;
    while (granted.length < takers.size) {
      const holder = takers.get(granted.at(-1)!)!;
      const before = granted.length;
      holder.release();
      while (granted.length === before) await Promise.resolve();
    }
    // A was waiting first; then B and C get their turn before A's third and B's second.
    expect(granted).toEqual(['A1', 'A2', 'B1', 'C1', 'A3', 'B2']);
  });

  it('releases a slot once, however often release is called', async () => {
    const slots = new CpuSlots(1, 1);
    const release = await slots.acquire('A');
    release();
    release();
    expect(slots.busy).toBe(0);
  });
});
