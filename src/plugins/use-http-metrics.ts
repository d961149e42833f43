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
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const at = started.get(request);
      if (at === undefined) return;
      metrics.httpRequest(request.method, routeOf(new URL(request.url).pathname), response.status, (performance.now() - at) / 1000);
    },
  };
}
