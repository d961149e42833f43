import type { HookRow } from '../db/schema.ts';
import { NotFoundError } from '../services/errors.ts';
import type { Services } from '../services/index.ts';
import type { RestContext } from './router.ts';

/**
 * The hook a `/hooks/{id}…` path names, read with the viewer's read:hooks; another tenant's, or
 * none, is a NotFoundError (each dialect answers it as its 404).
 */
export function pathHook(c: RestContext, services: Services): HookRow {
  const id = c.req.param('id')!;
  const hook = services.hooks.get(c.var.viewer, id);
  if (!hook) throw new NotFoundError('Hook', id);
  return hook;
}
