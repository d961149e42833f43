import type { Plugin } from 'graphql-yoga';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; message?: string }>;
}

/** `GET /ready`: 200 when the service can take work, 503 otherwise; the body says which check failed. */
export function useReadiness(check: () => Promise<ReadinessReport>): Plugin {
  return {
    // Synchronous for every other request: an async hook would make each one wait a turn for it.
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready' || request.method !== 'GET') return;
      return check().then((report) =>
        endResponse(
          fetchAPI.Response.json(
            { status: report.ready ? 'ready' : 'unavailable', checks: report.checks },
            { status: report.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } },
          ),
        ),
      );
    },
  };
}
