import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Services } from '../services/index.ts';
import { attachGraphqlWs } from '../ws.ts';

/** yoga over HTTP (and SSE) with graphql-ws on the same endpoint: the service's one listener. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function createHttpServer(yoga: YogaServerInstance<any, any>, services: Services) {
  const server = createServer(yoga);
  const ws = attachGraphqlWs(server, yoga, services);
  return { server, ws };
}

/** Listens and resolves with the port (a free one for port 0); a failure to bind rejects. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
