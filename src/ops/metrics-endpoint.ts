import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface MetricsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** What `/metrics` answers, on whichever port: the registry's text, behind a bearer token when one is set. */
export function createMetricsEndpoint(registry: Registry, token: string | undefined) {
  const expected = token === undefined ? null : digest(token);
  return {
    async answer(authorization: string | null): Promise<MetricsAnswer> {
      if (expected) {
        const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
        // Compared as digests, in constant time: equal lengths whatever was sent.
        if (!given || !timingSafeEqual(digest(given), expected)) {
          return { status: 401, headers: { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }, body: 'metrics need the HOOKGATE_METRICS_TOKEN bearer token\n' };
        }
      }
      return { status: 200, headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' }, body: await registry.metrics() };
    },

    /** A server of its own for HOOKGATE_METRICS_PORT: `/metrics` and nothing else. */
    server(): Server {
      return createServer((request, response) => {
        const path = new URL(request.url ?? '/', 'http://metrics').pathname;
        if (path !== '/metrics' || request.method !== 'GET') {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
          return;
        }
        this.answer(request.headers.authorization ?? null).then(
          (answer) => response.writeHead(answer.status, answer.headers).end(answer.body),
          () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
        );
      });
    },
  };
}

export type MetricsEndpoint = ReturnType<typeof createMetricsEndpoint>;
