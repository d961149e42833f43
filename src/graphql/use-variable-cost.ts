import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { GraphQLError, Kind, validate, visit, type ArgumentNode, type DocumentNode, type GraphQLSchema, type ValueNode, type VariableNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The arguments that multiply the cost of what is below them (graphql-armor's cost limit). */
const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last']);

/**
 * graphql-armor's cost limit runs at validation, before variables are known, and counts
 * `first: $n` as 1: fifteen aliases of `executions(first: $n) { logs(first: $m) … }` passed it and
 * built gigabytes. Once the variables are known, this checks the operation again with each page
 * size given by a variable written in as its value, by the same rule and limit.
 */
export function useVariableCost(options: { maxCost: number; ignoreIntrospection: boolean }): Plugin {
  const check = (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | null | undefined) => {
    if (!hasVariablePageSize(document)) return null;
    const written = withPageSizesWrittenIn(document, variables ?? {});
    if (written === null) return null;
    const [error] = validate(schema, written, [costLimitRule({ ...options, propagateOnRejection: false, onReject: [(context, e) => context?.reportError(e)] })]);
    if (!error) return null;
    return new GraphQLError(`${error.message.replace(/^Syntax Error: /, '')} (page sizes given by variables count)`, {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    });
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args.schema, args.document, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args.schema, args.document, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

/** `first: $n` or `last: $n`. */
function isVariablePageSize(node: ArgumentNode): node is ArgumentNode & { value: VariableNode } {
  return PAGE_SIZE_ARGUMENTS.has(node.name.value) && node.value.kind === Kind.VARIABLE;
}

/** Documents that give a page size by a variable: yoga's parser cache hands the same document for the same text. */
const givesPageSizeByVariable = new WeakMap<DocumentNode, boolean>();

function hasVariablePageSize(document: DocumentNode): boolean {
  let gives = givesPageSizeByVariable.get(document);
  if (gives === undefined) {
    gives = false;
    visit(document, {
      Argument(node) {
        if (isVariablePageSize(node)) gives = true;
      },
    });
    givesPageSizeByVariable.set(document, gives);
  }
  return gives;
}

/** The document with `first: $n` replaced by `first: <value of $n>`; null when no page size is a variable. */
function withPageSizesWrittenIn(document: DocumentNode, variables: Record<string, unknown>): DocumentNode | null {
  const defaults = new Map<string, ValueNode>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue) defaults.set(variable.variable.name.value, variable.defaultValue);
    }
  }
  let found = false;
  const written = visit(document, {
    Argument(node) {
      if (!isVariablePageSize(node)) return undefined;
      found = true;
      const name = node.value.name.value;
      const given = Object.hasOwn(variables, name) ? variables[name] : undefined;
      const fallback = defaults.get(name);
      // A value that is not an integer fails coercion when the operation runs; it costs 1 here.
      const size = Number.isSafeInteger(given) ? (given as number) : fallback?.kind === Kind.INT ? Number(fallback.value) : 1;
      return { ...node, value: { kind: Kind.INT, value: String(size) } };
    },
  });
  return found ? written : null;
}
