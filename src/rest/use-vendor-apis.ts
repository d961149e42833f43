import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import type { Services } from '../services/index.ts';
import { auth0Dialect } from './auth0/index.ts';
import { oneloginDialect } from './onelogin/index.ts';
import { createDialectApp } from './router.ts';

/**
 * The vendors' management APIs beside GraphQL: Auth0's `/api/v2/hooks` and OneLogin's
 * `/api/2/hooks`, thin adapters over the same services. Requests under their base paths are
 * answered here and never reach GraphQL.
 */
export function useVendorApis(services: Services, db: Db, logger: Logger): Plugin {
  const apps = [auth0Dialect, oneloginDialect].map((dialect) => ({
    prefix: `${dialect.basePath}/`,
    app: createDialectApp(dialect, services, db, logger),
  }));
  return {
    // Synchronous for every other request: an async hook would make each one wait a turn for it.
    onRequest({ request, url, endResponse }) {
      const match = apps.find(({ prefix }) => url.pathname.startsWith(prefix));
      if (match) return answer(match.app, request, endResponse);
    },
  };
}

async function answer(app: { fetch(request: Request): Response | Promise<Response> }, request: Request, endResponse: (response: Response) => void) {
  endResponse(await app.fetch(request));
}
