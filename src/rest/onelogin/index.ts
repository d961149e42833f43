import type { Dialect } from '../router.ts';
import { envRoutes } from './envs.ts';
import { ONELOGIN_INTERNAL_ERROR, oneloginErrorAnswer } from './errors.ts';
import { hookRoutes } from './hooks.ts';
import { logRoutes } from './logs.ts';

/** OneLogin's Smart Hooks API: hooks, their env vars and their logs. */
export const oneloginDialect: Dialect = {
  basePath: '/api/2',
  routes(app, services) {
    // Before `/hooks/:id`, which `/hooks/envs` would otherwise match.
    envRoutes(app, services);
    hookRoutes(app, services);
    logRoutes(app, services);
  },
  errorAnswer: oneloginErrorAnswer,
  internalError: ONELOGIN_INTERNAL_ERROR,
};
