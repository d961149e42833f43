import type { ExecutionLogRow, ExecutionRow } from '../db/schema.ts';
import { authorize } from '../services/auth.ts';
import { builder } from './builder.ts';
import { createLoaders } from './loaders.ts';
import { ExecutionLogRef, ExecutionRef, ExecutionStatus } from './executions.ts';

builder.subscriptionType({ description: 'Live views of executions, over SSE or graphql-ws.' });

const ExecutionUpdateFilter = builder.inputType('ExecutionUpdateFilter', {
  description: 'Narrows the executions followed; every given field must match.',
  fields: (t) => ({
    hookId: t.globalID({ description: 'Only runs of this hook.' }),
    triggerId: t.string({ description: 'Only runs at this trigger.' }),
    status: t.field({ type: ExecutionStatus, description: 'Only changes into this status.' }),
  }),
});

builder.subscriptionFields((t) => ({
  executionLogs: t.field({
    type: ExecutionLogRef,
    description: 'The console lines of an execution: those written so far, then live ones; completes when the run ends (scope read:executions).',
    args: { executionId: t.arg.globalID({ required: true, description: 'The execution’s global id.' }) },
    subscribe: (_root, { executionId }, ctx) => {
      // Checked before the stream starts, so a caller without a token gets its 401 like elsewhere.
      authorize(ctx.viewer, 'read:executions');
      return ctx.services.feeds.logs(ctx.viewer, executionId.typename === 'Execution' ? executionId.id : '-');
    },
    resolve: (line: ExecutionLogRow) => line,
  }),
  executionUpdated: t.field({
    type: ExecutionRef,
    description: 'Executions of the tenant as their status changes (scope read:executions).',
    args: { filter: t.arg({ type: ExecutionUpdateFilter, description: 'Narrows what is followed.' }) },
    subscribe: (_root, { filter }, ctx) => {
      authorize(ctx.viewer, 'read:executions');
      return ctx.services.feeds.updates(ctx.viewer, {
        hookId: filter?.hookId ? (filter.hookId.typename === 'Hook' ? filter.hookId.id : '-') : undefined,
        triggerId: filter?.triggerId,
        status: filter?.status,
      });
    },
    // Each event is a new moment: fresh loaders, or fields would show what an earlier event cached.
    resolve: (execution: ExecutionRow, _args, ctx) => {
      ctx.loaders = createLoaders(ctx.services, ctx.viewer);
      return execution;
    },
  }),
}));
