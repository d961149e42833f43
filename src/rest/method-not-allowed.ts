import type { Hono } from 'hono';
import type { RestEnv } from './router.ts';
import { DomainError } from '../services/errors.ts';

/** A path the API serves, asked with a method it does not serve there (answered 405 with `Allow`). */
export class MethodNotAllowedError extends DomainError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly allowed: readonly string[],
  ) {
    super(`${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
  }
}

/** `/api/v2/hooks/:id` as a pattern of whole paths: a parameter is one segment. */
function patternOf(path: string): RegExp {
  const segments = path.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${segments.join('/')}$`);
}

/**
 * The methods an app's routes serve, by path: every route whose pattern matches counts, as the
 * router would try them (`/hooks/envs` is also a `/hooks/:id`). HEAD goes with GET, as hono
 * answers it. Call once the routes are all added.
 */
export function allowedMethods(app: Hono<RestEnv>): (path: string) => string[] {
  const routes = app.routes.filter((route) => route.method !== 'ALL').map((route) => ({ method: route.method, pattern: patternOf(route.path) }));
  return (path) => {
    const methods = new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => methods.has(method));
  };
}
