import type { Hono } from 'hono';
import { z } from 'zod';
import { UnknownTriggerError } from '../../services/errors.ts';
import type { Services } from '../../services/index.ts';
import { getTrigger, TRIGGER_IDS } from '../../triggers/index.ts';
import { parseRest } from '../fields.ts';
import { pathHook } from '../path-hook.ts';
import { jsonBody, type RestEnv } from '../router.ts';
import { hookFields, oneloginHookOf, oneloginHooks, serviceInput } from './hook-shape.ts';
import { pageHeaders, pageQuery } from './pagination.ts';

// OneLogin's defaults: a new hook is disabled, runs 1 second, and is not retried.
const createBody = z
  .object({ type: z.string(), ...hookFields })
  .partial()
  .required({ type: true, function: true })
  .extend({ disabled: hookFields.disabled.default(true), timeout: hookFields.timeout.default(1) });
// An update may send back what a read answered: the read-only fields are ignored, `type` must not change.
const updateBody = z.object({ type: z.string().optional(), ...hookFields }).partial();

/**
 * OneLogin's rules, kept by the service inside its write (so they need create:hooks only, never
 * read:hooks): one hook per type, and no name, so hookgate names a hook after its type.
 */
const ONELOGIN_CREATE_RULES = { onePerTrigger: true, numberTakenName: true } as const;

/** `/api/2/hooks` and `/api/2/hooks/{id}`. */
export function hookRoutes(app: Hono<RestEnv>, services: Services) {
  app.get('/hooks', (c) => {
    const page = pageQuery(c.req.query());
    const total = services.hooks.count(c.var.viewer, {});
    const rows = services.hooks.list(c.var.viewer, {}, { limit: page.limit, offset: page.offset, inverted: false });
    pageHeaders(c, page, rows.length, total);
    return c.json(oneloginHooks(rows, services));
  });

  app.post('/hooks', async (c) => {
    const body = parseRest(createBody, await jsonBody(c));
    // `type` is an enum of OneLogin's schema, checked with the body's shape (it becomes the name too).
    if (!getTrigger(body.type)) throw new UnknownTriggerError(body.type, TRIGGER_IDS);
    const input = { ...serviceInput(body), name: body.type, triggerId: body.type };
    return c.json(oneloginHookOf(await services.hooks.create(c.var.viewer, input, ONELOGIN_CREATE_RULES), services), 201);
  });

  app.get('/hooks/:id', (c) => c.json(oneloginHookOf(pathHook(c, services), services)));

  app.put('/hooks/:id', async (c) => {
    const body = parseRest(updateBody, await jsonBody(c));
    const input = { ...serviceInput(body), triggerId: body.type, id: c.req.param('id') };
    return c.json(oneloginHookOf(await services.hooks.update(c.var.viewer, input), services));
  });

  app.delete('/hooks/:id', (c) => {
    services.hooks.delete(c.var.viewer, c.req.param('id'));
    return c.body(null, 202);
  });
}
