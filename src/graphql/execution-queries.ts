import { resolveCursorConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { Context } from '../context.ts';
import type { ExecutionRow } from '../db/schema.ts';
import type { ExecutionFilter } from '../services/executions.ts';
import { builder } from './builder.ts';
import { checkCursors, isIdCursor } from './cursors.ts';
import { ExecutionRef, ExecutionSource, ExecutionStatus } from './executions.ts';
import { HookRef } from './hooks.ts';

const ExecutionFilterInput = builder.inputType('ExecutionFilter', {
  description: 'Narrows a list of executions; every given field must match.',
  fields: (t) => ({
    hookId: t.globalID({ description: 'Only runs of this hook.' }),
    triggerId: t.string({ description: 'Only runs at this trigger.' }),
    status: t.field({ type: ExecutionStatus, description: 'Only runs in this status.' }),
    source: t.field({ type: ExecutionSource, description: 'Only runs from this source.' }),
    since: t.field({ type: 'DateTime', description: 'Only runs recorded at or after this time.' }),
    until: t.field({ type: 'DateTime', description: 'Only runs recorded at or before this time.' }),
  }),
});

type FilterArg = typeof ExecutionFilterInput.$inferInput | null | undefined;

/** The service's filter from the GraphQL one; a hook id of another type matches nothing. */
function toFilter(filter: FilterArg, hookId?: string): ExecutionFilter {
  const byHook = filter?.hookId ? (filter.hookId.typename === 'Hook' ? filter.hookId.id : '-') : undefined;
  return {
    hookId: hookId ?? byHook,
    triggerId: filter?.triggerId,
    status: filter?.status,
    source: filter?.source,
    since: filter?.since?.getTime(),
    until: filter?.until?.getTime(),
  };
}

const ExecutionConnection = builder.connectionObject(
  {
    type: ExecutionRef,
    name: 'ExecutionConnection',
    description: 'A page of executions, newest first.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many executions match the filter in all (costs a count: ask only when shown).',
        resolve: (connection, _args, ctx) => ctx.services.executions.count(ctx.viewer, (connection as unknown as { filter: ExecutionFilter }).filter),
      }),
    }),
  },
  { name: 'ExecutionEdge', description: 'An execution of a page with its cursor.' },
);

/** A page of executions that carries its filter along, for totalCount. */
function resolveExecutions(ctx: Context, args: DefaultConnectionArguments, filter: ExecutionFilter) {
  checkCursors(args, isIdCursor);
  return resolveCursorConnection<ExecutionRow[]>(
    { args, toCursor: (row: ExecutionRow) => row.id, maxSize: 100, defaultSize: 20 },
    (page) => ctx.services.executions.list(ctx.viewer, filter, page),
  ).then((connection) => ({ ...connection, filter }));
}

builder.queryField('executions', (t) =>
  t.connection(
    {
      type: ExecutionRef,
      description: 'The tenant’s executions, newest first (scope read:executions).',
      args: { filter: t.arg({ type: ExecutionFilterInput, description: 'Narrows the list.' }) },
      resolve: (_root, args, ctx) => resolveExecutions(ctx, args, toFilter(args.filter)),
    },
    ExecutionConnection,
  ),
);

builder.objectField(HookRef, 'executions', (t) =>
  t.connection(
    {
      type: ExecutionRef,
      description: 'This hook’s executions, newest first (scope read:executions).',
      args: { filter: t.arg({ type: ExecutionFilterInput, description: 'Narrows the list (its hookId is ignored).' }) },
      resolve: (hook, args, ctx) => resolveExecutions(ctx, args, toFilter(args.filter, hook.id)),
    },
    ExecutionConnection,
  ),
);
