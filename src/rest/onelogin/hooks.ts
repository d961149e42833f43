import type { Hono } from 'hono';
import { z } from 'zod';
import type { Viewer } from '../../services/auth.ts';
import { NotFoundError, UnknownTriggerError, ValidationError } from '../../services/errors.ts';
import type { Services } from '../../services/index.ts';
import { getTrigger, TRIGGER_IDS } from '../../triggers/index.ts';
import { parseRest } from '../fields.ts';
import { jsonBody, type RestEnv } from '../router.ts';
import { HookTypeTakenError } from './errors.ts';
import { hookFields, oneloginHook, serviceInput } from './hook-shape.ts';
import { pageHeaders, pageQuery } from './pagination.ts';

// OneLogin's defaults: a new hook is disabled, runs 1 second, and is not retried.
const createBody = z
  .object({ type: z.string(), ...hookFields })
  .partial()
  .required({ type: true, function: true })
  .extend({ disabled: hookFields.disabled.default(true), timeout: hookFields.timeout.default(1) });
// An update may send back what a read answered: the read-only fields are ignored, `type` must not change.
const updateBody = z.object({ type: z.string().optional(), ...hookFields }).partial();

/** OneLogin hooks have no name; hookgate's is the type, numbered when another hook holds it. */
function freeName(services: Services, viewer: Viewer, type: string): string {
  const taken = new Set(services.hooks.list(viewer, { nameContains: type }, { limit: 1000, inverted: false }).map((hook) => hook.name));
  let name = type;
  for (let n = 2; taken.has(name); n++) name = `${type}-${n}`;
  return name;
}

function checkTimeout(type: string, timeoutSeconds: number | undefined) {
  const ceiling = (getTrigger(type)?.timeoutCeilingMs ?? Infinity) / 1000;
  if (timeoutSeconds !== undefined && timeoutSeconds > ceiling) {
    throw new ValidationError('timeout', `must be less than or equal to ${ceiling}`);
  }
}

/** `/api/2/hooks` and `/api/2/hooks/{id}`. */
export function hookRoutes(app: Hono<RestEnv>, services: Services) {
  app.get('/hooks', (c) => {
    const page = pageQuery(c.req.query());
    const total = services.hooks.count(c.var.viewer, {});
    const rows = services.hooks.list(c.var.viewer, {}, { limit: page.limit, offset: page.offset, inverted: false });
    pageHeaders(c, page, rows.length, total);
    return c.json(rows.map((row) => oneloginHook(row, services)));
  });

  app.post('/hooks', async (c) => {
    const body = parseRest(createBody, await jsonBody(c));
    const viewer = c.var.viewer;
    const trigger = getTrigger(body.type);
    if (!trigger) throw new UnknownTriggerError(body.type, TRIGGER_IDS);
    if (services.hooks.count(viewer, { triggerId: trigger.id }) >= trigger.maxEnabledHooks) throw new HookTypeTakenError(trigger.id);
    checkTimeout(body.type, body.timeout);
    const input = { ...serviceInput(body), name: freeName(services, viewer, body.type), triggerId: body.type };
    return c.json(oneloginHook(await services.hooks.create(viewer, input), services), 201);
  });

  app.get('/hooks/:id', (c) => {
    const row = services.hooks.get(c.var.viewer, c.req.param('id'));
    if (!row) throw new NotFoundError('Hook', c.req.param('id'));
    return c.json(oneloginHook(row, services));
  });

  app.put('/hooks/:id', async (c) => {
    const body = parseRest(updateBody, await jsonBody(c));
    const current = services.hooks.get(c.var.viewer, c.req.param('id'));
    if (!current) throw new NotFoundError('Hook', c.req.param('id'));
    if (body.type !== undefined && body.type !== current.triggerId) throw new ValidationError('type', 'cannot change');
    checkTimeout(current.triggerId, body.timeout);
    return c.json(oneloginHook(await services.hooks.update(c.var.viewer, { ...serviceInput(body), id: current.id }), services));
  });

  app.delete('/hooks/:id', (c) => {
    services.hooks.delete(c.var.viewer, c.req.param('id'));
    return c.body(null, 202);
  });
}
