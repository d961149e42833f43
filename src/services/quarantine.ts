import type { Clock } from '../lib/clock.ts';

/**
 * Hooks that wedge isolates are refused for a while.
 *
 * Some allocations (a property key of tens of megabytes, say) make V8 fail catastrophically
 * instead of stopping the script at its memory limit. The run still ends cleanly, but the isolate's
 * thread and heap are never given back to the process: up to the memory limit each time. Unchecked,
 * a hook doing it in a loop would exhaust the host's memory within minutes. So each such event
 * refuses the hook for a cool-off that doubles with each event (1 minute, 2, 4… up to a day), and
 * from the tenant's third event on, the whole tenant likewise: a tenant spreading it over many hooks
 * leaks a bounded amount per day. Counts live in memory, as the leaked memory does: a restart frees
 * both.
 */
export type Quarantine = ReturnType<typeof createQuarantine>;

export interface Refusal {
  /** Whether the hook itself or its whole tenant is refused. */
  scope: 'hook' | 'tenant';
  /** When runs are accepted again (ms since the epoch). */
  until: number;
  /** Wedged isolates counted against that scope. */
  events: number;
}

const FIRST_COOL_OFF_MS = 60_000;
const LONGEST_COOL_OFF_MS = 24 * 60 * 60_000;
/** The tenant-wide cool-off starts with the tenant's third event (a first or second can be an accident). */
const TENANT_EVENTS_BEFORE_REFUSAL = 2;

interface Strikes {
  events: number;
  until: number;
}

const coolOff = (doublings: number) => Math.min(LONGEST_COOL_OFF_MS, FIRST_COOL_OFF_MS * 2 ** Math.min(doublings, 20));

export interface QuarantineEvent {
  tenantId: string;
  hookId: string;
  /** The refusal in force after this event. */
  refusal: Refusal;
}

export function createQuarantine(clock: Clock) {
  const hooks = new Map<string, Strikes>();
  const tenants = new Map<string, Strikes>();
  const listeners: ((event: QuarantineEvent) => void)[] = [];

  /** Why runs of this hook are refused now, or null when they may run. */
  function refusal(tenantId: string, hookId: string): Refusal | null {
    const now = clock.now();
    const tenant = tenants.get(tenantId);
    const hook = hooks.get(hookId);
    const tenantRefused = tenant !== undefined && tenant.until > now;
    const hookRefused = hook !== undefined && hook.until > now;
    // The refusal that lasts longer is the one the caller needs to know about.
    if (tenantRefused && (!hookRefused || tenant.until >= hook.until)) return { scope: 'tenant', until: tenant.until, events: tenant.events };
    if (hookRefused) return { scope: 'hook', until: hook.until, events: hook.events };
    return null;
  }

  return {
    refusal,

    /**
     * Counts a run that wedged its isolate; returns the refusal now in force. Runs of the hook that
     * were already under way when it was first refused are part of the same incident: they do not
     * count again.
     */
    recordLostIsolate(tenantId: string, hookId: string): Refusal {
      const now = clock.now();
      const hook = hooks.get(hookId) ?? { events: 0, until: 0 };
      if (hook.until > now) return refusal(tenantId, hookId)!;
      hook.events++;
      hook.until = now + coolOff(hook.events - 1);
      hooks.set(hookId, hook);
      const tenant = tenants.get(tenantId) ?? { events: 0, until: 0 };
      tenant.events++;
      if (tenant.events > TENANT_EVENTS_BEFORE_REFUSAL) tenant.until = now + coolOff(tenant.events - 1 - TENANT_EVENTS_BEFORE_REFUSAL);
      tenants.set(tenantId, tenant);
      const inForce = refusal(tenantId, hookId)!;
      for (const listener of listeners) listener({ tenantId, hookId, refusal: inForce });
      return inForce;
    },

    /** Told of each new event (the service logs them). */
    onEvent(listener: (event: QuarantineEvent) => void) {
      listeners.push(listener);
    },
  };
}
