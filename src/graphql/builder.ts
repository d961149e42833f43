import SchemaBuilder from '@pothos/core';
import ErrorsPlugin, { capitalize } from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../context.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: { description: 'Fetches any object by its global id; null when it is not found or not yours.' },
    nodesQueryOptions: false,
    nodeTypeOptions: { description: 'An object with a global id.' },
    idFieldOptions: { description: 'The global id.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its list.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of the page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of the page; pass it as `after` for the next page.' },
    cursorFieldOptions: { description: 'Opaque position of this item, for `after`/`before`.' },
    firstArgOptions: { description: 'Items to return from the start of the list, after `after`: 20 when absent, at most 100 (log lines: 100 and 1000).' },
    afterArgOptions: { description: 'Continue after this cursor: the `endCursor` of the page before.' },
    lastArgOptions: { description: 'Items to return from the end of the list, before `before` (sizes as `first`; log lines page forward only).' },
    beforeArgOptions: { description: 'Page back from this cursor: the `startCursor` of the page after.' },
    nodeFieldOptions: { description: 'The item.' },
    edgesFieldOptions: { description: 'The items of the page with their cursors.' },
    pageInfoFieldOptions: { description: 'Where the page sits in the list.' },
    defaultConnectionTypeOptions: { description: 'A page of a list, newest first.' },
    defaultEdgeTypeOptions: { description: 'An item of a page with its cursor.' },
  },
  errors: {
    directResult: true,
    // `createHook` returns `CreateHookResult`, as the API contract names it.
    defaultUnionOptions: {
      name: ({ fieldName }) => `${capitalize(fieldName)}Result`,
      description: 'The outcome of a mutation: its success type, or one of the errors it can expect.',
    },
  },
});
