import { Hono, type Context as HonoContext } from 'hono';
import type { Logger } from 'pino';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Db } from '../db/client.ts';
import { MAX_REQUEST_BODY_BYTES } from '../graphql/security.ts';
import { boundedBytes } from '../lib/bounded-body.ts';
import type { Viewer } from '../services/auth.ts';
import { AuthenticationError, DomainError, NotFoundError, RateLimitedError, ValidationError } from '../services/errors.ts';
import type { Services } from '../services/index.ts';
import type { RateLimitState } from '../services/rate-limit.ts';
import { allowedMethods, MethodNotAllowedError } from './method-not-allowed.ts';

/** What a handler of a vendor dialect gets besides the request. */
export interface RestEnv {
  Variables: { viewer: Viewer };
}

export type RestContext = HonoContext<RestEnv>;

/** How a dialect answers a failure: the status and body its clients expect. */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: unknown;
}

export interface Dialect {
  /** Where its routes live, e.g. `/api/v2`. */
  basePath: string;
  /** Adds the routes to the dialect's app; handlers throw domain errors, answered by `errorAnswer`. */
  routes(app: Hono<RestEnv>, services: Services): void;
  /** The answer to an expected failure (a domain error); any other is logged and answered `internalError`. */
  errorAnswer(error: DomainError): ErrorAnswer;
  /** The answer to an unexpected failure, which is logged and never described to the client. */
  internalError: ErrorAnswer;
}

/** The body is larger than hookgate takes (the same bound as GraphQL requests). */
export class BodyTooLargeError extends DomainError {
  constructor() {
    super(`The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
}

/**
 * The token of an Authorization header: `Bearer <token>`, any case, or `bearer:<token>`, the form
 * OneLogin's documentation shows.
 */
export function bearerOf(authorization: string | undefined): string | null {
  const match = /^bearer(?:\s+|:\s*)(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1]! : null;
}

/**
 * The body's text, at most MAX_REQUEST_BODY_BYTES (as for GraphQL), counted as it streams in.
 * (hono's bodyLimit rebuilds the request with the native Request class, which does not take the
 * one yoga's server adapter hands over.)
 */
async function boundedText(request: Request): Promise<string> {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_REQUEST_BODY_BYTES) throw new BodyTooLargeError();
  const bytes = await boundedBytes(request.body, MAX_REQUEST_BODY_BYTES);
  if (!bytes) throw new BodyTooLargeError();
  return bytes.toString('utf8');
}

/** The JSON body of a request; text that is not JSON is a ValidationError of the field `body`. */
export async function jsonBody(c: RestContext): Promise<unknown> {
  const text = await boundedText(c.req.raw);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message.split('"')[0]!.replace(/[\s,:]+$/, '') : 'unreadable';
    throw new ValidationError('body', `The body is not valid JSON (${reason})`);
  }
}

/** X-RateLimit-* as Auth0 sends them: the budget, what is left, and when it is whole (epoch seconds). */
function rateLimitHeaders(headers: Headers, state: RateLimitState) {
  headers.set('X-RateLimit-Limit', String(state.limit));
  headers.set('X-RateLimit-Remaining', String(state.remaining));
  headers.set('X-RateLimit-Reset', String(Math.ceil((Date.now() + state.msBeforeReset) / 1000)));
}

/**
 * One dialect as a Hono app. Every request: a valid token (the same tokens as GraphQL), one unit of
 * the token's management-API budget (HOOKGATE_API_RATE_LIMIT: the run limiter's mechanism, its own
 * key space, so API traffic never spends runs and runs never spend it), and no answer before the
 * writes it made are committed (db/group-commit.ts), as GraphQL answers.
 */
export function createDialectApp(dialect: Dialect, services: Services, db: Db, logger: Logger): Hono<RestEnv> {
  const app = new Hono<RestEnv>().basePath(dialect.basePath);
  app.use(async (c, next) => {
    const token = bearerOf(c.req.header('authorization'));
    if (!token) throw new AuthenticationError('A bearer token is required (Authorization: Bearer <token>)');
    const viewer = services.tokens.authenticate(token);
    c.set('viewer', viewer);
    const budget = await services.apiLimiter.consume(viewer.tokenId);
    const failuresBefore = db.$group.failures;
    await next();
    await db.$group.settled();
    if (db.$group.failures !== failuresBefore) throw new Error('Writes of this request could not be committed');
    if (budget) rateLimitHeaders(c.res.headers, budget);
  });
  // Before any handler: `PUT /hooks/envs` is refused as a method of `/hooks/envs`, never handed
  // to `PUT /hooks/:id` as a hook named "envs". (Its own layer, so its 405 still gets the
  // rate-limit headers above.)
  let allowedOn: (path: string) => string[] = () => [];
  app.use(async (c, next) => {
    const allowed = allowedOn(c.req.path);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) throw new MethodNotAllowedError(c.req.method, c.req.path, allowed);
    await next();
  });
  dialect.routes(app, services);
  allowedOn = allowedMethods(app);
  app.all('*', (c) => {
    throw new NotFoundError('Endpoint', `${c.req.method} ${c.req.path}`);
  });
  app.onError((error, c) => {
    if (!(error instanceof DomainError)) {
      logger.error({ event: 'rest-error', dialect: dialect.basePath, err: error }, 'unexpected error answering a REST request');
      return c.json(dialect.internalError.body as object, dialect.internalError.status);
    }
    const { status, body } = dialect.errorAnswer(error);
    const response = c.json(body as object, status);
    if (error instanceof MethodNotAllowedError) response.headers.set('Allow', error.allowed.join(', '));
    if (error instanceof RateLimitedError) {
      response.headers.set('Retry-After', String(error.retryAfterSeconds));
      rateLimitHeaders(response.headers, { limit: error.limit ?? 0, remaining: 0, msBeforeReset: error.retryAfterSeconds * 1000 });
    }
    return response;
  });
  return app;
}
