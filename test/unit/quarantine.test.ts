import { describe, expect, it } from 'vitest';
import { createQuarantine } from '../../src/services/quarantine.ts';

const MINUTE = 60_000;

function setup() {
  let now = 1_000_000;
  const clock = { now: () => now };
  const quarantine = createQuarantine(clock);
  /** `times` events of one hook, each once the refusal the last one started is over. */
  const wedgeInTurn = (tenantId: string, hookId: string, times: number) => {
    for (let i = 0; i < times; i++) {
      if (i > 0) now = quarantine.refusal(tenantId, hookId)!.until;
      quarantine.recordLostIsolate(tenantId, hookId);
    }
  };
  return { quarantine, wedgeInTurn, advance: (ms: number) => (now += ms), now: () => now };
}

describe('quarantine of hooks that wedge isolates', () => {
  it('refuses a hook for a minute after its first event, then twice as long after each further one', () => {
    const { quarantine, advance, now } = setup();
    expect(quarantine.refusal('t1', 'h1')).toBeNull();
    expect(quarantine.recordLostIsolate('t1', 'h1')).toEqual({ scope: 'hook', until: now() + MINUTE, events: 1 });
    advance(MINUTE - 1);
    expect(quarantine.refusal('t1', 'h1')).toMatchObject({ scope: 'hook', events: 1 });
    advance(1);
    expect(quarantine.refusal('t1', 'h1')).toBeNull();
    expect(quarantine.recordLostIsolate('t1', 'h1')).toEqual({ scope: 'hook', until: now() + 2 * MINUTE, events: 2 });
    advance(2 * MINUTE);
    expect(quarantine.recordLostIsolate('t1', 'h1')).toMatchObject({ until: now() + 4 * MINUTE, events: 3 });
  });

  it("leaves the tenant's other hooks alone for its first two events, then refuses the whole tenant", () => {
    const { quarantine, now } = setup();
    quarantine.recordLostIsolate('t1', 'h1');
    quarantine.recordLostIsolate('t1', 'h2');
    expect(quarantine.refusal('t1', 'h3')).toBeNull();
    expect(quarantine.refusal('t2', 'h9')).toBeNull();
    // The third event of the tenant, from yet another hook.
    quarantine.recordLostIsolate('t1', 'h3');
    expect(quarantine.refusal('t1', 'h4')).toEqual({ scope: 'tenant', until: now() + MINUTE, events: 3 });
    quarantine.recordLostIsolate('t1', 'h4');
    expect(quarantine.refusal('t1', 'h5')).toEqual({ scope: 'tenant', until: now() + 2 * MINUTE, events: 4 });
    // Another tenant is not affected.
    expect(quarantine.refusal('t2', 'h9')).toBeNull();
  });

  it('names the refusal that lasts longer', () => {
    const { quarantine, wedgeInTurn, now } = setup();
    wedgeInTurn('t1', 'h1', 5);
    // The hook: 16 minutes after its fifth; the tenant: 4 minutes (its third past the first two).
    expect(quarantine.refusal('t1', 'h1')).toEqual({ scope: 'hook', until: now() + 16 * MINUTE, events: 5 });
    expect(quarantine.refusal('t1', 'h2')).toEqual({ scope: 'tenant', until: now() + 4 * MINUTE, events: 5 });
  });

  it('never refuses for more than a day', () => {
    const { quarantine, wedgeInTurn, now } = setup();
    wedgeInTurn('t1', 'h1', 41);
    expect(quarantine.refusal('t1', 'h1')!.until).toBe(now() + 24 * 60 * MINUTE);
  });

  it('counts runs already under way when their hook was refused as the same incident', () => {
    const { quarantine, now } = setup();
    quarantine.recordLostIsolate('t1', 'h1');
    // Two more runs of h1 that had started before the refusal wedge their isolates too.
    expect(quarantine.recordLostIsolate('t1', 'h1')).toEqual({ scope: 'hook', until: now() + MINUTE, events: 1 });
    quarantine.recordLostIsolate('t1', 'h1');
    expect(quarantine.refusal('t1', 'h2')).toBeNull();
  });
});
