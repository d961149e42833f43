import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../ops/metrics.ts';

const ROUTES = new Set(['/graphql', '/health', '/ready', '/metrics']);

/** Counts and times every HTTP request, by method, route (known paths only) and status. */
export function useHttpMetrics(metrics: Metrics): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const at = started.get(request);
      if (at === undefined) return;
      const path = new URL(request.url).pathname;
      metrics.httpRequest(request.method, ROUTES.has(path) ? path : 'other', response.status, (performance.now() - at) / 1000);
    },
  };
}
