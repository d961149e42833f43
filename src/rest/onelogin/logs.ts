import type { Hono } from 'hono';
import { z } from 'zod';
import type { ExecutionRow } from '../../db/schema.ts';
import type { Services } from '../../services/index.ts';
import { parseRest } from '../fields.ts';
import { pathHook } from '../path-hook.ts';
import type { RestEnv } from '../router.ts';

/** Lines answered per execution, as GraphQL's `logs(first:)` allows at most. */
const MAX_EVENTS = 1000;

const query = z.object({
  request_id: z.string().optional(),
  correlation_id: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** The payload's `correlation_id` (OneLogin's pipeline sends one), else null. */
function correlationIdOf(execution: ExecutionRow): string | null {
  const payload = execution.payload as { correlation_id?: unknown } | null;
  return typeof payload?.correlation_id === 'string' ? payload.correlation_id : null;
}

/**
 * `/api/2/hooks/{id}/logs`: the hook's stored executions, newest first, each with its console
 * lines. The request id is the execution's id.
 */
export function logRoutes(app: Hono<RestEnv>, services: Services) {
  app.get('/hooks/:id/logs', (c) => {
    const { request_id, correlation_id, limit } = parseRest(query, c.req.query(), 'query');
    const viewer = c.var.viewer;
    // The endpoint's own scope first: lines are execution records (read:executions), of a hook the token may read.
    services.executions.authorizeRecord(viewer);
    const hook = pathHook(c, services);
    const filter = { hookId: hook.id, correlationId: correlation_id };
    const executions = request_id
      ? [services.executions.get(viewer, request_id)].filter((run): run is ExecutionRow => run?.hookId === hook.id)
      : services.executions.list(viewer, filter, { limit, inverted: false });
    const lines = services.executions.logsOfMany(
      executions.map((run) => run.id),
      { limit: MAX_EVENTS },
    );
    return c.json(
      executions
        .filter((run) => !correlation_id || correlationIdOf(run) === correlation_id)
        .map((run) => ({
          request_id: run.id,
          correlation_id: correlationIdOf(run),
          created_at: new Date(run.createdAt).toISOString(),
          events: lines.filter((line) => line.executionId === run.id).map((line) => line.message),
        })),
    );
  });
}
