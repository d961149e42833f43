import { afterEach, describe, expect, it, vi } from 'vitest';
import { isId, newId } from '../../src/lib/ids.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives distinct UUIDv7s in creation order, many per millisecond and past the random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(id).toMatch(V7);
    expect(ids.every(isId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps the order when the clock stands still or steps back', () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1));
    const first = Array.from({ length: 100 }, () => newId());
    now.mockReturnValue(Date.UTC(2029, 0, 1));
    const after = Array.from({ length: 100 }, () => newId());
    const ids = [...first, ...after];
    expect([...ids].sort()).toEqual(ids);
    // The time in the id is the newest seen, not the clock's step back.
    expect(after.every((id) => id.slice(0, 8) === first[0]!.slice(0, 8))).toBe(true);
  });

  it('takes fresh random bytes for each id', () => {
    const tails = new Set(Array.from({ length: 1000 }, () => newId().slice(-12)));
    expect(tails.size).toBe(1000);
  });
});
