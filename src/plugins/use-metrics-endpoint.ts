import type { Plugin } from 'graphql-yoga';
import type { MetricsEndpoint } from '../ops/metrics-endpoint.ts';

/** `GET /metrics` on the main port (when HOOKGATE_METRICS_PORT does not move it elsewhere). */
export function useMetricsEndpoint(endpoint: MetricsEndpoint): Plugin {
  return {
    // Synchronous for every other request: an async hook would make each one wait a turn for it.
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics' || request.method !== 'GET') return;
      return endpoint.answer(request.headers.get('authorization')).then((answer) => endResponse(new fetchAPI.Response(answer.body, { status: answer.status, headers: answer.headers })));
    },
  };
}
