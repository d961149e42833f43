import type { YogaInitialContext } from 'graphql-yoga';
import type { Viewer } from './services/auth.ts';
import type { Services } from './services/index.ts';
import { createLoaders, type Loaders } from './graphql/loaders.ts';

/** Built fresh for every request (and every subscription). */
export interface Context {
  viewer: Viewer | null;
  services: Services;
  loaders: Loaders;
}

/** The bearer token of a request, or null when it carries none. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

/**
 * No token: a viewer of null, so introspection (GraphiQL's docs) works and every protected
 * field answers UNAUTHENTICATED. A token that is unknown or revoked fails the whole request.
 */
export function createContext(services: Services, initial: YogaInitialContext): Context {
  const token = bearerToken(initial.request.headers.get('authorization'));
  const viewer = token ? services.tokens.authenticate(token) : null;
  return { viewer, services, loaders: createLoaders(services, viewer) };
}
