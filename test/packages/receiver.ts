/** A local HTTP receiver for end-to-end tests: records each request and lets a test wait for one. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function startReceiver() {
  const received: Received[] = [];
  const waiters: { path: string; resolve: (request: Received) => void }[] = [];
  const held: (() => void)[] = [];
  /** When the connection of a request to each path closed (the client gave up, say). */
  const closedAt = new Map<string, Promise<number>>();
  const server = createServer((request, response) => {
    closedAt.set(request.url ?? '', new Promise((resolve) => response.once('close', () => resolve(Date.now()))));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      for (const waiter of waiters.filter((w) => w.path === entry.path)) waiter.resolve(entry);
      // Slack answers "ok" as text; /hang… never answers; everything else gets JSON.
      if (entry.path.startsWith('/hang')) return;
      if (entry.path.startsWith('/hold')) {
        held.push(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"held":true}'));
        return;
      }
      if (entry.path.startsWith('/slack')) {
        response.writeHead(200, { 'content-type': 'text/html' }).end('ok');
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: entry.path, bytes: entry.body.length }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Resolves with the first request to this path (already received or still to come). */
    next(path: string): Promise<Received> {
      const seen = received.find((entry) => entry.path === path);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ path, resolve }));
    },
    /** Resolves with the time the first request to this path was closed (it must have arrived). */
    closed: (path: string) => closedAt.get(path)!,
    /** Answers the requests to /hold… received so far. */
    release: () => held.splice(0).forEach((answer) => answer()),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
