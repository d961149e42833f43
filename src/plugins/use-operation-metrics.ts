import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../ops/metrics.ts';

/** Counts and times every executed GraphQL operation (queries and mutations), by name and type. */
export function useOperationMetrics(metrics: Metrics): Plugin {
  return {
    onExecute({ args }) {
      const at = performance.now();
      const operation = getOperationAST(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          const ok = !('errors' in result && result.errors?.length);
          metrics.graphqlOperation(operation?.name?.value ?? args.operationName, operation?.operation ?? 'unknown', ok, (performance.now() - at) / 1000);
        },
      };
    },
  };
}
