import { Client, fetchExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

const ENDPOINT = '/graphql';

export interface Clients {
  /** Queries and mutations over HTTP. */
  http: Client;
  /** Subscriptions (live lines, live executions) over graphql-ws. */
  ws: WsClient;
}

/** The clients for one token; made again when the token changes. */
export function createClients(token: string): Clients {
  const http = new Client({
    url: ENDPOINT,
    exchanges: [fetchExchange],
    // Every answer is read fresh: the console shows what the service holds now.
    requestPolicy: 'network-only',
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
  });
  const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${ENDPOINT}`;
  const ws = createWsClient({ url: wsUrl, connectionParams: { Authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 5 });
  return { http, ws };
}
