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
    async onRequest({ request, url, endResponse }) {
      const match = apps.find(({ prefix }) => url.pathname.startsWith(prefix));
      if (match) endResponse(await match.app.fetch(request));
    },
  };
}
