import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../ops/metrics.ts';

const ROUTES = new Set(['/graphql', '/health', '/ready', '/metrics']);
/** Paths under these are counted as one route each: the label stays of bounded cardinality. */
const PREFIXES = ['/api/v2', '/api/2', '/console'];

function routeOf(path: string): string {
  if (ROUTES.has(path)) return path;
  const prefix = PREFIXES.find((base) => path === base || path.startsWith(`${base}/`));
  return prefix ? `${prefix}/*` : 'other';
}

/** Counts and times every HTTP request, by method, route (known paths and API prefixes) and status. */
export function useHttpMetrics(metrics: Metrics): Plugin {
  // The route is read from the URL yoga has parsed for onRequest: onResponse would parse it again.
  const started = new WeakMap<Request, { at: number; route: string }>();
  return {
    onRequest({ request, url }) {
      started.set(request, { at: performance.now(), route: routeOf(url.pathname) });
    },
    onResponse({ request, response }) {
      const entry = started.get(request);
      if (entry === undefined) return;
      metrics.httpRequest(request.method, entry.route, response.status, (performance.now() - entry.at) / 1000);
    },
  };
}
