import type { Plugin } from 'graphql-yoga';

/** `GET /health`: the process is alive and answering (for a liveness probe). */
export function useHealthCheck(): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== '/health' || request.method !== 'GET') return;
      endResponse(fetchAPI.Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }));
    },
  };
}
