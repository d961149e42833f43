import type { Plugin } from 'graphql-yoga';

export interface DrainState {
  readonly draining: boolean;
  /** Told when an operation starts and when it is answered, so a stop can wait for those in flight. */
  operationStarted(): void;
  operationDone(): void;
}

/**
 * While the service stops: GraphQL requests are answered 503 (a load balancer has already seen
 * /ready turn 503); operations already running go on, and are counted until they are answered.
 */
export function useDraining(state: DrainState): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (!state.draining || url.pathname !== '/graphql') return;
      endResponse(
        fetchAPI.Response.json(
          { errors: [{ message: 'The service is stopping: retry on another instance', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
          { status: 503, headers: { 'retry-after': '5' } },
        ),
      );
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
