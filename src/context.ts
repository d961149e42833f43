import type { YogaInitialContext } from 'graphql-yoga';
import type { Viewer } from './services/auth.ts';
import { AuthenticationError } from './services/errors.ts';
import type { Services } from './services/index.ts';
import { createLoaders, type Loaders } from './graphql/loaders.ts';
import type { AnswerBudget } from './graphql/use-answer-budget.ts';

/** Built fresh for every request (and every subscription). */
export interface Context {
  viewer: Viewer | null;
  services: Services;
  loaders: Loaders;
  /** What a query or mutation has put into its answer (graphql/use-answer-budget.ts). */
  answerBudget?: AnswerBudget;
}

/** What graphql-ws adds to the initial context (see ws.ts). */
interface WsInitialContext {
  connectionParams?: Record<string, unknown>;
}

/**
 * The Authorization value: a header over HTTP, a connection param over graphql-ws. A param that
 * is there but not a string (a number, the token in an array) is refused, not taken for none.
 */
export function authorizationOf(initial: Partial<YogaInitialContext> & WsInitialContext): string | null {
  const params = initial.connectionParams;
  if (params) {
    const value = params.Authorization ?? params.authorization;
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new AuthenticationError('The Authorization connection param must be a string reading `Bearer <token>`');
    return value;
  }
  return initial.request?.headers.get('authorization') ?? null;
}

/** The bearer token of an Authorization value, or null when it carries none. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

/**
 * No Authorization: a viewer of null, so introspection (GraphiQL's docs) works and every protected
 * field answers UNAUTHENTICATED. One that is not a bearer token, or whose token is unknown or
 * revoked, is an AuthenticationError.
 */
export function viewerOf(services: Services, authorization: string | null): Viewer | null {
  const token = bearerToken(authorization);
  if (authorization && !token) throw new AuthenticationError('The Authorization header must read `Bearer <token>`');
  return token ? services.tokens.authenticate(token) : null;
}

/** A bad token fails the whole request (graphql-ws: its connection, see ws.ts). */
export function createContext(services: Services, initial: YogaInitialContext & WsInitialContext): Context {
  const viewer = viewerOf(services, authorizationOf(initial));
  return { viewer, services, loaders: createLoaders(services, viewer) };
}
