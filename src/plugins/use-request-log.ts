import { randomUUID } from 'node:crypto';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../ops/logger.ts';

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * One log line per HTTP request: its id (the caller's `x-request-id` when it is sane, else a new
 * one, echoed in the answer), method, path, GraphQL operation name, status and duration; and one
 * per operation over graphql-ws, which has no HTTP request of its own: run, or refused because its
 * document does not parse or validate (the count of errors and their code, never their messages,
 * which may quote the document's values). Never the query's variables, headers or body: they can
 * hold tokens, passwords and secrets.
 */
export function useRequestLog(logger: Logger): Plugin {
  const requests = new WeakMap<Request, { id: string; at: number; path: string; operation?: string }>();
  /** graphql-ws operations: their context holds no fetch Request (see ws.ts). */
  const overWebSocket = (context: unknown) => !(context as { request?: Request }).request;
  const limited = (name: string | null | undefined) => (name ? name.slice(0, 100) : null);
  /** A request that does not name its operation (`mutation Run(…)` sent alone) is logged by the name the document gives it. */
  const nameFromDocument = (args: { contextValue: unknown; document: DocumentNode; operationName?: string | null }) => {
    const entry = requests.get((args.contextValue as { request: Request }).request);
    if (entry && entry.operation === undefined) entry.operation = limited(getOperationAST(args.document, args.operationName)?.name?.value) ?? undefined;
  };
  /** The operation a graphql-ws client asked for by name (its document did not get far enough to tell). */
  const refusedOverWebSocket = (context: unknown, code: string, errors: number) => {
    const { operationName } = (context as { params?: { operationName?: unknown } }).params ?? {};
    logger.info({ reqId: randomUUID(), transport: 'graphql-ws', operation: typeof operationName === 'string' ? limited(operationName) : null, code, errors }, 'operation refused');
  };
  return {
    onRequest({ request, url }) {
      const given = request.headers.get('x-request-id');
      requests.set(request, { id: given && REQUEST_ID.test(given) ? given : randomUUID(), at: performance.now(), path: url.pathname });
    },
    onParams({ request, params }) {
      const entry = requests.get(request);
      if (entry && typeof params.operationName === 'string') entry.operation = limited(params.operationName) ?? undefined;
    },
    onResponse({ request, response }) {
      const entry = requests.get(request);
      if (!entry) return;
      try {
        response.headers.set('x-request-id', entry.id);
      } catch {
        // An immutable response (a static one): the line still carries the id.
      }
      // 503 is the answer while stopping (and /ready's "not now"): expected, not a fault.
      const level = response.status >= 500 && response.status !== 503 ? 'error' : response.status === 503 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const fields = {
        reqId: entry.id,
        method: request.method,
        path: entry.path,
        operation: entry.operation ?? null,
        status: response.status,
        durationMs: Math.round((performance.now() - entry.at) * 10) / 10,
      };
      logger[level](fields, 'request');
    },
    onExecute({ args }) {
      if (!overWebSocket(args.contextValue)) return nameFromDocument(args);
      const at = performance.now();
      const operation = getOperationAST(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? (result.errors?.length ?? 0) : 0;
          logger.info(
            { reqId: randomUUID(), transport: 'graphql-ws', operation: limited(operation?.name?.value), type: operation?.operation ?? null, errors, durationMs: Math.round((performance.now() - at) * 10) / 10 },
            'operation',
          );
        },
      };
    },
    onParse({ context }) {
      if (!overWebSocket(context)) return;
      return ({ result }) => {
        if (result instanceof Error) refusedOverWebSocket(context, 'GRAPHQL_PARSE_FAILED', 1);
      };
    },
    onValidate({ context }) {
      if (!overWebSocket(context)) return;
      return ({ valid, result }) => {
        if (!valid) refusedOverWebSocket(context, 'GRAPHQL_VALIDATION_FAILED', result.length);
      };
    },
    onSubscribe({ args }) {
      if (!overWebSocket(args.contextValue)) return nameFromDocument(args);
      const operation = getOperationAST(args.document, args.operationName);
      logger.info({ reqId: randomUUID(), transport: 'graphql-ws', operation: limited(operation?.name?.value), type: 'subscription' }, 'subscription started');
    },
  };
}
