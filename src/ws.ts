import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { MAX_REQUEST_BODY_BYTES } from './graphql/security.ts';

/**
 * graphql-ws on the same endpoint as HTTP, run through yoga's envelop so that context (the
 * bearer token from connectionParams), masking and limits are the same as over SSE.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function attachGraphqlWs(server: Server, yoga: YogaServerInstance<any, any>) {
  // The same bound on a message as on an HTTP body (ws would take 100 MiB).
  const wsServer = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: MAX_REQUEST_BODY_BYTES });
  // The envelop-wrapped execute/subscribe travel to graphql-ws on the root value, per yoga's recipe.
  type Run = (args: ExecutionArgs) => never;
  type RootValue = { execute: Run; subscribe: Run };
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as RootValue).execute(args),
      subscribe: (args) => (args.rootValue as RootValue).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
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
      },
    },
    wsServer,
  );
  return {
    async close() {
      await disposable.dispose();
      wsServer.close();
    },
  };
}
