import { createPubSub, type PubSubEventTarget } from 'graphql-yoga';
import type { ExecutionLogRow, ExecutionRow } from '../db/schema.ts';

/** What a follower of one execution receives, in order: its lines, then its end. */
/** `ended` is null when the execution was deleted (with its hook) before it ended. */
export type ExecutionStreamEvent = { line: ExecutionLogRow } | { ended: ExecutionRow | null };

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
