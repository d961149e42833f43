import { GraphQLError, Kind, type VariableDefinitionNode } from 'graphql';

/**
 * A variable the client sent that does not fit its type (an unknown input field, a string for an
 * Int): graphql-js reports it on the variable's definition, before anything runs.
 */
export function isVariableError(error: GraphQLError): boolean {
  return error.nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION && error.path === undefined;
}

/**
 * The client's mistake, so HTTP 400 (GraphQL over HTTP) and no server log line. graphql-js quotes
 * the whole variable in its message (`got invalid value { name: "A", value: "…", extra: 1 }`), and
 * its scalars quote the part at fault in the reason; a variable holds secrets and passwords: the
 * answer names the variable, the place and the reason, never the value.
 */
export function variableError(error: GraphQLError): GraphQLError {
  const definition = error.nodes![0] as VariableDefinitionNode;
  const name = definition.variable.name.value;
  const reason = error.originalError?.message;
  let message = error.message;
  if (reason !== undefined && message.endsWith(`; ${reason}`)) {
    const place = / at "([^"]*)"$/.exec(message.slice(0, -(reason.length + 2)))?.[1];
    message = `Variable "$${name}" got an invalid value${place ? ` at "${place}"` : ''}; ${reasonWithoutValue(reason)}`;
  }
  return new GraphQLError(message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

const NAME = '[_A-Za-z][_0-9A-Za-z]*';
/** A type as graphql-js prints it: `String`, `[SecretInput!]!`. */
const TYPE = '[_0-9A-Za-z!\\[\\]]+';
/** graphql-js' didYouMean() over schema names only: ` Did you mean the enum value "A", "B", or "C"?`. */
const SUGGESTION = `(?: Did you mean (?:the enum value )?"${NAME}"(?:(?:, |,? or )"${NAME}")*\\?)?`;

/**
 * The reasons graphql-js (utilities/coerceInputValue.js, type/scalars.js, type/definition.js) and
 * the scalars of graphql-scalars give for a value that does not fit, each as it reads without the
 * value. A reason ends with what the client sent, so the prefixes are matched from the start and
 * the enum's from the end (the value comes between).
 */
const QUOTING: [RegExp, string][] = [
  // `Int cannot represent non-integer value: "sk_live_…"`, the same for Float, String, Boolean, ID,
  // `Enum "E" cannot represent non-string value: ["…"]. Did you mean …?`, JSONObject's `non-object value: …`.
  [new RegExp(`^(${NAME}|Enum "${NAME}") cannot represent ([^:]*value): [\\s\\S]*$`), '$1 cannot represent $2'],
  // `Value "sk_live_…" does not exist in "HookStatus" enum. Did you mean the enum value "READY"?`
  [new RegExp(`^Value "[\\s\\S]*" does not exist in "(${NAME})" enum\\.(${SUGGESTION})$`), 'The value does not exist in "$1" enum.$2'],
  // DateTime's `an invalid date-time-string …`, `an invalid Unix timestamp …`, `non string or Date type …`.
  [new RegExp(`^(${NAME}) cannot represent (an invalid date-time-string|an invalid Unix timestamp|non string or Date type) [\\s\\S]*$`), '$1 cannot represent $2'],
  // A scalar's parseValue that threw something else than a GraphQLError: its message is anybody's.
  [new RegExp(`^(Expected type "${NAME}"\\.) [\\s\\S]*$`), '$1'],
];

/** Reasons that name types and fields only; the field names of an input object are its keys, not values. */
const VALUE_FREE = [
  new RegExp(`^${NAME} cannot represent an invalid Date instance$`),
  new RegExp(`^Expected type "${NAME}"\\.$`),
  new RegExp(`^Expected type "${NAME}" to be an object\\.$`),
  new RegExp(`^Expected non-nullable type "${TYPE}" not to be null\\.$`),
  new RegExp(`^Field "${NAME}" of required type "${TYPE}" was not provided\\.$`),
  new RegExp(`^Field "[^"]*" is not defined by type "${NAME}"\\.${SUGGESTION}$`),
  new RegExp(`^Exactly one key must be specified for OneOf type "${NAME}"\\.$`),
  new RegExp(`^Field "[^"]*" must be non-null\\.$`),
];

/**
 * The reason without the value it quotes. A reason in no form known here (a newer graphql-js, a
 * new scalar) could quote anything, so it is not passed on.
 */
export function reasonWithoutValue(reason: string): string {
  for (const [pattern, replacement] of QUOTING) if (pattern.test(reason)) return reason.replace(pattern, replacement);
  if (VALUE_FREE.some((pattern) => pattern.test(reason))) return reason;
  return 'The value does not fit its type.';
}
