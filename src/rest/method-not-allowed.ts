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

/** A route's path as a pattern of whole paths (a parameter is one segment), and which of its segments are fixed. */
function routePattern(path: string): { pattern: RegExp; fixed: boolean[] } {
  const segments = path.split('/');
  const pattern = new RegExp(`^${segments.map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
  return { pattern, fixed: segments.map((segment) => !segment.startsWith(':')) };
}

/** Which of two routes matching the same path is the more specific: the first segment where one is fixed and the other a parameter decides. */
function compareSpecificity(a: boolean[], b: boolean[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] ? 1 : -1;
  return 0;
}

/**
 * The methods an app's routes serve, by path. A fixed segment names its own resource: where
 * routes with a parameter also match (`/hooks/envs` is also a `/hooks/:id`), only the most
 * specific routes count, so `/hooks/envs` serves what the env var routes serve, never a hook's
 * methods. HEAD goes with GET, as hono answers it. Call once the routes are all added.
 */
export function allowedMethods(app: Hono<RestEnv>): (path: string) => string[] {
  const routes = app.routes.filter((route) => route.method !== 'ALL').map((route) => ({ method: route.method, ...routePattern(route.path) }));
  return (path) => {
    const matching = routes.filter((route) => route.pattern.test(path));
    const best = matching.reduce<boolean[] | null>((top, route) => (top === null || compareSpecificity(route.fixed, top) > 0 ? route.fixed : top), null);
    const methods = new Set(matching.filter((route) => best && compareSpecificity(route.fixed, best) === 0).map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => methods.has(method));
  };
}
