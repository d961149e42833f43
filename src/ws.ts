import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { authorizationOf, viewerOf } from './context.ts';
import { MAX_REQUEST_BODY_BYTES } from './graphql/security.ts';
import { AuthenticationError } from './services/errors.ts';
import type { Services } from './services/index.ts';
import { serveGraphqlWs } from './ws-server.ts';

/**
 * graphql-ws on the same endpoint as HTTP, run through yoga's envelop so that context (the
 * bearer token from connectionParams), masking and limits are the same as over SSE.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function attachGraphqlWs(server: Server, yoga: YogaServerInstance<any, any>, services: Services) {
  // The same bound on a message as on an HTTP body (ws would take 100 MiB).
  const wsServer = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: MAX_REQUEST_BODY_BYTES });
  // The envelop-wrapped execute/subscribe travel to graphql-ws on the root value, per yoga's recipe.
  type Run = (args: ExecutionArgs) => never;
  type RootValue = { execute: Run; subscribe: Run };
  const disposable = serveGraphqlWs(
    {
      execute: (args) => (args.rootValue as RootValue).execute(args),
      subscribe: (args) => (args.rootValue as RootValue).subscribe(args),
      // A bad token (unknown, revoked, not `Bearer …`) refuses the connection as it opens, with
      // graphql-ws's Forbidden (4403), as over HTTP it refuses the request. No token is a viewer of
      // null, as over HTTP: introspection works, and protected fields answer UNAUTHENTICATED.
      onConnect: (ctx) => {
        try {
          viewerOf(services, authorizationOf({ connectionParams: ctx.connectionParams ?? {} }));
          return true;
        } catch (error) {
          if (error instanceof AuthenticationError) return false;
          throw error;
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        try {
          const args = {
            schema,
            operationName: params.operationName,
            document: parse(params.query),
            variableValues: params.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
          const errors = validate(args.schema, args.document);
          if (errors.length) return errors;
          return args as ExecutionArgs;
        } catch (error) {
          // A syntax error, or a context that could not be built (a token revoked since the
          // connection opened; yoga has masked what is not the client's), answers this operation,
          // as over HTTP. Thrown, it would close the connection with 4500 and be logged as the
          // service's fault.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
    },
    wsServer,
    (error) => yoga.logger.error(error),
  );
  return {
    async close() {
      await disposable.dispose();
      wsServer.close();
    },
  };
}
