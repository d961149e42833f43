import type { Hono } from 'hono';
import { z } from 'zod';
import type { HookRow } from '../../db/schema.ts';
import type { Services } from '../../services/index.ts';
import { parseRest } from '../fields.ts';
import { pathHook } from '../path-hook.ts';
import { jsonBody, type RestEnv } from '../router.ts';

/** Auth0's hook object, with the script of the hook's current version. */
function auth0Hook(hook: HookRow, script: string) {
  return {
    id: hook.id,
    name: hook.name,
    script,
    triggerId: hook.triggerId,
    enabled: hook.enabled,
    dependencies: hook.dependencies,
  };
}

type Auth0Hook = ReturnType<typeof auth0Hook>;

/** Auth0's hook objects of rows, their scripts read in one query. */
function auth0Hooks(rows: HookRow[], services: Services): Auth0Hook[] {
  const scripts = services.hookVersions.currentScripts(rows.map((row) => row.id));
  return rows.map((row) => auth0Hook(row, scripts.get(row.id)!));
}

const auth0HookOf = (row: HookRow, services: Services) => auth0Hooks([row], services)[0]!;

const booleanParam = z.enum(['true', 'false']).transform((value) => value === 'true');
const listQuery = z.object({
  page: z.coerce.number().int().min(0).default(0),
  per_page: z.coerce.number().int().min(1).max(100).default(50),
  include_totals: booleanParam.default('false'),
  enabled: booleanParam.optional(),
  triggerId: z.string().min(1).optional(),
  fields: z.string().optional(),
});
const dependencies = z.record(z.string());
const createBody = z
  .object({ name: z.string(), script: z.string(), triggerId: z.string(), enabled: z.boolean().optional(), dependencies: dependencies.optional() })
  .strict();
// The trigger of a hook is fixed: `triggerId` is refused as an additional property, as Auth0 does.
const updateBody = z
  .object({ name: z.string().optional(), script: z.string().optional(), enabled: z.boolean().optional(), dependencies: dependencies.optional() })
  .strict();

/** `fields=a,b`: only those properties of each hook (all when absent or empty). */
function pick(fields: string | undefined) {
  const wanted = fields?.split(',').map((field) => field.trim()).filter(Boolean) ?? [];
  if (wanted.length === 0) return (hook: Auth0Hook) => hook;
  return (hook: Auth0Hook) => Object.fromEntries(Object.entries(hook).filter(([key]) => wanted.includes(key)));
}

/** `/api/v2/hooks` and `/api/v2/hooks/{id}`. */
export function hookRoutes(app: Hono<RestEnv>, services: Services) {
  app.get('/hooks', (c) => {
    const query = parseRest(listQuery, c.req.query(), 'query');
    const filter = { enabled: query.enabled, triggerId: query.triggerId };
    const rows = services.hooks.list(c.var.viewer, filter, { limit: query.per_page, offset: query.page * query.per_page, inverted: false });
    const hooks = auth0Hooks(rows, services).map(pick(query.fields));
    if (!query.include_totals) return c.json(hooks);
    const total = services.hooks.count(c.var.viewer, filter);
    return c.json({ start: query.page * query.per_page, limit: query.per_page, total, hooks });
  });

  app.post('/hooks', async (c) => {
    const body = parseRest(createBody, await jsonBody(c));
    return c.json(auth0HookOf(await services.hooks.create(c.var.viewer, body), services), 201);
  });

  app.get('/hooks/:id', (c) => {
    const query = parseRest(z.object({ fields: z.string().optional() }), c.req.query(), 'query');
    return c.json(pick(query.fields)(auth0HookOf(pathHook(c, services), services)));
  });

  app.patch('/hooks/:id', async (c) => {
    const body = parseRest(updateBody, await jsonBody(c));
    return c.json(auth0HookOf(await services.hooks.update(c.var.viewer, { ...body, id: c.req.param('id') }), services));
  });

  app.delete('/hooks/:id', (c) => {
    services.hooks.delete(c.var.viewer, c.req.param('id'));
    return c.body(null, 204);
  });
}
