import type { Plugin } from 'graphql-yoga';

/**
 * `GET /` says where the service is instead of an empty 404: browsers are sent on to GraphiQL at
 * the GraphQL endpoint, other clients are told its path.
 */
export function useRootPointer(graphqlEndpoint: string): Plugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const text = `hookgate: the GraphQL API is at ${graphqlEndpoint} (POST JSON with an Authorization: Bearer <token> header; GraphiQL when opened in a browser).\n`;
      endResponse(new fetchAPI.Response(text, { status: 302, headers: { location: graphqlEndpoint, 'content-type': 'text/plain; charset=utf-8' } }));
    },
  };
}
