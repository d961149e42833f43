import type { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../../services/errors.ts';
import type { Services } from '../../services/index.ts';
import { HIDDEN_SECRET_VALUE } from '../../services/secrets.ts';
import { parseRest } from '../fields.ts';
import { pathHook } from '../path-hook.ts';
import { jsonBody, type RestEnv } from '../router.ts';

/** Auth0 documents at most 20 secrets per request. */
const MAX_SECRETS_PER_REQUEST = 20;

const secretsBody = z
  .record(z.string())
  .refine((secrets) => Object.keys(secrets).length > 0, 'at least one secret')
  .refine((secrets) => Object.keys(secrets).length <= MAX_SECRETS_PER_REQUEST, `at most ${MAX_SECRETS_PER_REQUEST} secrets per request`);
const namesBody = z.array(z.string()).min(1).max(MAX_SECRETS_PER_REQUEST);

const asList = (secrets: Record<string, string>) => Object.entries(secrets).map(([name, value]) => ({ name, value }));

/**
 * A write of these secrets, its ValidationErrors naming the secret. The services take a list and
 * name the item (`input.secrets.0.value`, `input.names.0`); Auth0's body names each secret, so
 * that is the property its 400 names.
 */
function namingSecrets<T>(names: readonly string[], write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const index = /^input\.(?:secrets|names)\.(\d+)(?:\.|$)/.exec(error.field)?.[1];
    const name = index === undefined ? undefined : names[Number(index)];
    if (name === undefined) throw error;
    const reason = error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
    throw new ValidationError(name, reason);
  }
}

/**
 * `/api/v2/hooks/{id}/secrets`: values are write-only; GET answers each as `_VALUE_NOT_SHOWN_`,
 * which PATCH takes as "unchanged" (the Deploy CLI sends back what it read).
 */
export function secretRoutes(app: Hono<RestEnv>, services: Services) {
  app.get('/hooks/:id/secrets', (c) => {
    const names = services.secrets.secretNamesByHookIds([pathHook(c, services).id]).map((secret) => secret.name);
    return c.json(Object.fromEntries(names.map((name) => [name, HIDDEN_SECRET_VALUE])));
  });

  app.post('/hooks/:id/secrets', async (c) => {
    const secrets = asList(parseRest(secretsBody, await jsonBody(c)));
    namingSecrets(secrets.map((secret) => secret.name), () => services.secrets.setHookSecrets(c.var.viewer, { hookId: c.req.param('id'), secrets }, 'add'));
    return c.body(null, 201);
  });

  app.patch('/hooks/:id/secrets', async (c) => {
    const secrets = asList(parseRest(secretsBody, await jsonBody(c)));
    namingSecrets(secrets.map((secret) => secret.name), () => services.secrets.setHookSecrets(c.var.viewer, { hookId: c.req.param('id'), secrets }, 'update'));
    return c.body(null, 200);
  });

  app.delete('/hooks/:id/secrets', async (c) => {
    const names = parseRest(namesBody, await jsonBody(c));
    namingSecrets(names, () => services.secrets.deleteHookSecrets(c.var.viewer, { hookId: c.req.param('id'), names }));
    return c.body(null, 204);
  });
}
