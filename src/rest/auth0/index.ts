import type { Dialect } from '../router.ts';
import { AUTH0_INTERNAL_ERROR, auth0ErrorAnswer } from './errors.ts';
import { hookRoutes } from './hooks.ts';
import { secretRoutes } from './secrets.ts';

/** Auth0's Management API v2, its hooks endpoints (and their secrets). */
export const auth0Dialect: Dialect = {
  basePath: '/api/v2',
  routes(app, services) {
    hookRoutes(app, services);
    secretRoutes(app, services);
  },
  errorAnswer: auth0ErrorAnswer,
  internalError: AUTH0_INTERNAL_ERROR,
};
