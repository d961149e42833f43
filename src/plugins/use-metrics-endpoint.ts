import type { Plugin } from 'graphql-yoga';
import type { MetricsEndpoint } from '../ops/metrics-endpoint.ts';

/** `GET /metrics` on the main port (when HOOKGATE_METRICS_PORT does not move it elsewhere). */
export function useMetricsEndpoint(endpoint: MetricsEndpoint): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics' || request.method !== 'GET') return;
      const answer = await endpoint.answer(request.headers.get('authorization'));
      endResponse(new fetchAPI.Response(answer.body, { status: answer.status, headers: answer.headers }));
    },
  };
}
