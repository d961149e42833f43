import { createPubSub, type PubSubEventTarget } from 'graphql-yoga';
import type { ExecutionLogRow, ExecutionRow } from '../db/schema.ts';

/** What a follower of one execution receives, in order: its lines, then its end. */
export type ExecutionStreamEvent = { line: ExecutionLogRow } | { ended: ExecutionRow };

/**
 * Live events of executions. One process today; a Redis event target can replace the default
 * one when several instances share a database.
 */
export function createEvents(eventTarget?: PubSubEventTarget<EventMap>) {
  return createPubSub<EventMap>({ eventTarget });
}

type EventMap = {
  'execution:updated': [execution: ExecutionRow];
  'execution:stream': [executionId: string, event: ExecutionStreamEvent];
};

export type EventsTarget = PubSubEventTarget<EventMap>;

export type Events = ReturnType<typeof createEvents>;
