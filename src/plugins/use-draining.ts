import type { Plugin } from 'graphql-yoga';

export interface DrainState {
  readonly draining: boolean;
  /** Told when an operation or request starts and when it is answered, so a stop can wait for those in flight. */
  operationStarted(): void;
  operationDone(): void;
}

/** Answered while stopping too: a load balancer and a scraper must still see the service as it stops. */
const OPS_PATHS = new Set(['/health', '/ready', '/metrics']);

const STOPPING = 'The service is stopping: retry on another instance';

/**
 * While the service stops, every HTTP request but the ops endpoints is answered 503 — GraphQL, the
 * vendors' REST APIs (no write succeeds once the stop began) and the console alike; a load
 * balancer has already seen /ready turn 503. Requests and operations already running go on, and
 * are counted until they are answered. It must come before every plugin that answers in onRequest
 * (src/app.ts puts the service's plugins first).
 */
export function useDraining(state: DrainState): Plugin {
  const counted = new WeakSet<Request>();
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (OPS_PATHS.has(url.pathname)) return;
      if (!state.draining) {
        counted.add(request);
        state.operationStarted();
        return;
      }
      const headers = { 'retry-after': '5' };
      endResponse(
        url.pathname === '/graphql'
          ? fetchAPI.Response.json({ errors: [{ message: STOPPING, extensions: { code: 'SERVICE_UNAVAILABLE' } }] }, { status: 503, headers })
          : fetchAPI.Response.json({ statusCode: 503, error: 'Service Unavailable', message: STOPPING }, { status: 503, headers }),
      );
    },
    onResponse({ request }) {
      if (!counted.has(request)) return;
      counted.delete(request);
      state.operationDone();
    },
    onExecute() {
      // graphql-ws operations are counted too (its connections are closed when the stop begins).
      state.operationStarted();
      let done = false;
      const finish = () => {
        if (!done) state.operationDone();
        done = true;
      };
      return { onExecuteDone: finish };
    },
  };
}
