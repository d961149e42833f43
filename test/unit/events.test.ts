import { describe, expect, it } from 'vitest';
import type { ExecutionRow } from '../../src/db/schema.ts';
import { createEvents } from '../../src/services/events.ts';
import { SubscriptionOverflowError } from '../../src/services/errors.ts';

const row = (n: number) => ({ id: `e${n}`, tenantId: 't1' }) as ExecutionRow;

describe('live events: bounded per-subscriber buffers (issue 11, item 1)', () => {
  it('ends only the subscription that stops reading, with a clear error, and never throws at the publisher', async () => {
    const events = createEvents(undefined, 8);
    const stalled = events.subscribe('execution:updated', 't1');
    const reader = events.subscribe('execution:updated', 't1');
    const otherTenant = events.subscribe('execution:updated', 't2');
    const seen: string[] = [];
    for (let n = 0; n < 2_000; n++) {
      // The publisher of yoga's pubsub threw RepeaterOverflowError here after 1,024 unread events.
      expect(() => events.publish('execution:updated', 't1', row(n))).not.toThrow();
      seen.push((await reader.next()).value!.id);
    }
    expect(seen).toHaveLength(2_000);
    const error = await stalled.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubscriptionOverflowError);
    expect((error as Error).message).toMatch(/fell too far behind its reader \(more than 8 events or 16384 KiB unread\).*subscribe again/);
    expect(await stalled.next()).toEqual({ value: undefined, done: true });
    // Another tenant's subscriber was sent nothing of it.
    events.publish('execution:updated', 't2', { ...row(1), tenantId: 't2' });
    expect((await otherTenant.next()).value!.tenantId).toBe('t2');
    await Promise.all([reader.return!(), otherTenant.return!()]);
  });

  it('delivers what a reader left unread, in order, while within the bound', async () => {
    const events = createEvents(undefined, 8);
    const sub = events.subscribe('execution:stream', 'x');
    for (let n = 0; n < 8; n++) events.publish('execution:stream', 'x', { ended: row(n) });
    const ids = [];
    for (let n = 0; n < 8; n++) ids.push(((await sub.next()).value as { ended: ExecutionRow }).ended.id);
    expect(ids).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    const pending = sub.next();
    await sub.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});

describe('live events: the bound in bytes', () => {
  it('ends a subscription whose unread events pass the byte bound before their count does', async () => {
    const events = createEvents(undefined, 256, 100_000);
    const stalled = events.subscribe('execution:updated', 't1');
    const big = (n: number) => ({ ...row(n), payload: { blob: 'x'.repeat(30_000) } }) as ExecutionRow;
    for (let n = 0; n < 4; n++) events.publish('execution:updated', 't1', big(n));
    // Three fit (90 KB), the fourth does not.
    await expect(stalled.next()).rejects.toBeInstanceOf(SubscriptionOverflowError);
    const fits = events.subscribe('execution:updated', 't1');
    for (let n = 0; n < 3; n++) events.publish('execution:updated', 't1', big(n));
    for (let n = 0; n < 3; n++) expect((await fits.next()).value!.id).toBe(`e${n}`);
    await fits.return!();
  });
});
