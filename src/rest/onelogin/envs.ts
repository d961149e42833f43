import type { Hono } from 'hono';
import { z } from 'zod';
import type { Viewer } from '../../services/auth.ts';
import { NotFoundError } from '../../services/errors.ts';
import type { Services } from '../../services/index.ts';
import { parseRest } from '../fields.ts';
import { jsonBody, type RestEnv } from '../router.ts';

interface EnvVar {
  name: string;
  createdAt: number | null;
  updatedAt: number;
}

/** OneLogin's env var object; the name is its id. The value is never answered. */
const oneloginEnv = (env: EnvVar) => ({
  id: env.name,
  name: env.name,
  created_at: new Date(env.createdAt ?? env.updatedAt).toISOString(),
  updated_at: new Date(env.updatedAt).toISOString(),
});

const createBody = z.object({ name: z.string(), value: z.string() }).strict();
// The name is the id: a PUT changes the value only, and refuses a `name`.
const updateBody = z.object({ value: z.string() }).strict();

/** `/api/2/hooks/envs` and `/api/2/hooks/envs/{id}`: tenant-wide env vars, write-only values. */
export function envRoutes(app: Hono<RestEnv>, services: Services) {
  const find = (viewer: Viewer, id: string) => {
    const env = services.secrets.listEnvVars(viewer).find((row) => row.name === id);
    if (!env) throw new NotFoundError('EnvVar', id);
    return env;
  };

  app.get('/hooks/envs', (c) => c.json(services.secrets.listEnvVars(c.var.viewer).map(oneloginEnv)));

  app.post('/hooks/envs', async (c) => {
    const body = parseRest(createBody, await jsonBody(c));
    return c.json(oneloginEnv(services.secrets.setEnvVar(c.var.viewer, body, 'add')), 201);
  });

  app.get('/hooks/envs/:id', (c) => c.json(oneloginEnv(find(c.var.viewer, c.req.param('id')))));

  app.put('/hooks/envs/:id', async (c) => {
    const { value } = parseRest(updateBody, await jsonBody(c));
    return c.json(oneloginEnv(services.secrets.setEnvVar(c.var.viewer, { name: c.req.param('id'), value }, 'update')));
  });

  app.delete('/hooks/envs/:id', (c) => {
    if (!services.secrets.deleteEnvVar(c.var.viewer, { name: c.req.param('id') })) throw new NotFoundError('EnvVar', c.req.param('id'));
    return c.body(null, 204);
  });
}
