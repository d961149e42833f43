import { createPubSub, type PubSubEventTarget } from 'graphql-yoga';
import type { ExecutionLogRow, ExecutionRow } from '../db/schema.ts';
import { SubscriptionOverflowError } from './errors.ts';

/** What a follower of one execution receives, in order: its lines, then its end. */
/** `ended` is null when the execution was deleted (with its hook) before it ended. */
export type ExecutionStreamEvent = { line: ExecutionLogRow } | { ended: ExecutionRow | null };

/**
 * Events a subscriber may leave unread. One that falls further behind (a client that stops
 * reading, or reads slower than its tenant's runs end) has its subscription ended with a
 * SubscriptionOverflowError: it alone pays, with its own events, never the process.
 */
export const MAX_PENDING_EVENTS = 256;

/**
 * And at most this much of them, as JSON: an execution's row carries its payload and response (up
 * to 256 KB each), so 256 of them could hold a couple of hundred megabytes.
 */
export const MAX_PENDING_BYTES = 16 * 1024 * 1024;

/** Every topic is narrowed by an id: a tenant's, or an execution's. */
type EventMap = {
  'execution:updated': [tenantId: string, execution: ExecutionRow];
  'execution:stream': [executionId: string, event: ExecutionStreamEvent];
};

export type EventsTarget = PubSubEventTarget<EventMap>;

/**
 * Live events of executions. One process today; a Redis event target can replace the default
 * one when several instances share a database (topics are `<key>:<id>`, as yoga's pubsub makes them).
 */
export function createEvents(eventTarget?: EventsTarget, maxPending = MAX_PENDING_EVENTS, maxPendingBytes = MAX_PENDING_BYTES) {
  const target: EventsTarget = eventTarget ?? new EventTarget();
  const pubsub = createPubSub<EventMap>({ eventTarget: target });
  const observers = new Map<keyof EventMap, Set<(payload: never) => void>>();
  return {
    publish<K extends keyof EventMap>(key: K, id: EventMap[K][0], payload: EventMap[K][1]) {
      for (const observe of observers.get(key) ?? []) (observe as (payload: EventMap[K][1]) => void)(payload);
      (pubsub.publish as (key: K, id: string, payload: EventMap[K][1]) => void)(key, id, payload);
    },
    /**
     * Calls `observe` with every event of a kind, of every tenant, as it is published: for the
     * service's own bookkeeping (metrics), which must neither queue nor ever be ended.
     */
    observe<K extends keyof EventMap>(key: K, observe: (payload: EventMap[K][1]) => void): () => void {
      const set = observers.get(key) ?? new Set();
      observers.set(key, set);
      set.add(observe as (payload: never) => void);
      return () => void set.delete(observe as (payload: never) => void);
    },
    /** The events of one topic, with at most `maxPending` unread (see MAX_PENDING_EVENTS). */
    subscribe<K extends keyof EventMap>(key: K, id: string): AsyncIterableIterator<EventMap[K][1]> {
      return boundedSubscription(target, `${key}:${id}`, maxPending, maxPendingBytes);
    },
  };
}

export type Events = ReturnType<typeof createEvents>;

/**
 * yoga's own subscribe hands each event to a Repeater that allows 1,024 unread pushes and then
 * throws from the publisher's dispatch: one slow reader crashed the process. Here the unread
 * events of a subscriber are a bounded queue, and passing its bound ends that subscription only.
 */
function boundedSubscription<T>(target: EventsTarget, topic: string, limit: number, maxBytes: number): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let queuedBytes = 0;
  let failure: Error | null = null;
  let finished = false;
  let waiting: ((result: IteratorResult<T>) => void) | null = null;

  const listener = (event: Event) => {
    if (finished || failure) return;
    const value = (event as CustomEvent<T>).detail;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value, done: false });
    } else if (queue.length >= limit || queuedBytes + sizeOf(value) > maxBytes) {
      // Its memory goes at once; the reader learns why at its next read.
      failure = new SubscriptionOverflowError(limit, maxBytes);
      queue.length = 0;
      queuedBytes = 0;
      stopListening();
    } else {
      queuedBytes += sizeOf(value);
      queue.push(value);
    }
  };
  const stopListening = () => target.removeEventListener(topic, listener as never);
  target.addEventListener(topic, listener as never);

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (queue.length > 0) {
        const value = queue.shift()!;
        queuedBytes -= sizeOf(value);
        return Promise.resolve({ value, done: false });
      }
      if (failure) {
        const error = failure;
        failure = null;
        finished = true;
        return Promise.reject(error);
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finished = true;
      queue.length = 0;
      queuedBytes = 0;
      stopListening();
      const pending = waiting;
      waiting = null;
      pending?.({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * An event's size as JSON, measured once however many subscribers queue it (they share the object
 * published), and only when one queues it: a reader that keeps up costs nothing.
 */
const sizes = new WeakMap<object, number>();
function sizeOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 16;
  let size = sizes.get(value);
  if (size === undefined) {
    size = JSON.stringify(value)?.length ?? 16;
    sizes.set(value, size);
  }
  return size;
}
