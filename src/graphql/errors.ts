import { PothosSchemaError, PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import {
  AuthenticationError,
  DomainError,
  EnabledHookLimitError,
  ForbiddenError,
  InvalidBase64Error,
  LimitExceededError,
  NameTakenError,
  NotFoundError,
  RateLimitedError,
  ScriptSyntaxError,
  SubscriptionOverflowError,
  UnknownTriggerError,
  ValidationError,
} from '../services/errors.ts';
import { builder } from './builder.ts';
import { isVariableError, variableError } from './variable-errors.ts';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'What every expected failure of a mutation has in common.',
  fields: (t) => ({ message: t.exposeString('message', { description: 'What went wrong, for people.' }) }),
});

const field = { description: 'The dotted path of the input field at fault, e.g. `input.name`.' };

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'An input value broke a rule.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', field) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The record does not exist, or belongs to another tenant.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ entity: t.exposeString('entity', { description: 'The kind of record looked for.' }) }),
});

builder.objectType(NameTakenError, {
  name: 'NameTakenError',
  description: 'Another record of the tenant already has this name.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', field), value: t.exposeString('value', { description: 'The name asked for.' }) }),
});

builder.objectType(UnknownTriggerError, {
  name: 'UnknownTriggerError',
  description: 'The trigger id is not in the catalogue.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    triggerId: t.exposeString('triggerId', { description: 'The id given.' }),
    knownTriggerIds: t.stringList({ description: 'The ids of the catalogue.', resolve: (error) => [...error.known] }),
  }),
});

builder.objectType(ScriptSyntaxError, {
  name: 'ScriptSyntaxError',
  description: 'The script does not compile.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    line: t.exposeInt('line', { description: '1-based line of the problem in the script.' }),
    column: t.exposeInt('column', { description: '1-based column of the problem in the script.' }),
  }),
});

builder.objectType(InvalidBase64Error, {
  name: 'InvalidBase64Error',
  description: 'A field that must be base64 (OneLogin’s `function`) is not.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', field) }),
});

builder.objectType(EnabledHookLimitError, {
  name: 'EnabledHookLimitError',
  description: 'The trigger already has as many enabled hooks as it allows.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    triggerId: t.exposeString('triggerId', { description: 'The trigger at its limit.' }),
    limit: t.exposeInt('limit', { description: 'How many enabled hooks the trigger allows.' }),
    enabledHookId: t.globalID({
      description: 'Global id of a hook already enabled for the trigger.',
      resolve: (error) => ({ type: 'Hook', id: error.enabledHookId }),
    }),
    enabledHookName: t.exposeString('enabledHookName', { description: 'Name of a hook already enabled for the trigger.' }),
  }),
});

builder.objectType(LimitExceededError, {
  name: 'LimitExceededError',
  description: 'A count limit would be passed (secrets per hook, env vars per tenant).',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', field), limit: t.exposeInt('limit', { description: 'The limit.' }) }),
});

type Extensions = Record<string, unknown> & { code: string };

/** The `extensions` of a domain error that reaches the top level; `http` sets status and headers. */
const codes = new Map<Function, (error: never) => Extensions>([
  [AuthenticationError, () => ({ code: 'UNAUTHENTICATED', http: { status: 401 } })],
  [ForbiddenError, () => ({ code: 'FORBIDDEN' })],
  [SubscriptionOverflowError, ({ limit }: SubscriptionOverflowError) => ({ code: 'SUBSCRIPTION_OVERFLOW', limit })],
  [
    RateLimitedError,
    ({ retryAfterSeconds }: RateLimitedError) => ({
      code: 'RATE_LIMITED',
      retryAfterSeconds,
      http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
    }),
  ],
]);

/**
 * yoga's error masking hook: domain errors that reach the top level keep their message and get
 * a code (UNAUTHENTICATED answers HTTP 401, RATE_LIMITED 429 with Retry-After); anything else is
 * masked.
 */
export function maskError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  const graphqlError = error instanceof GraphQLError ? error : undefined;
  // A malformed global id, or one naming a type that has no nodes: the client's input, not a
  // failure of ours. (Pothos' errors are GraphQLErrors, so this comes before those pass through.)
  if (isBadId(original)) {
    return new GraphQLError(badIdMessage(original.message), { nodes: graphqlError?.nodes, path: graphqlError?.path, extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (graphqlError && isVariableError(graphqlError)) return variableError(graphqlError);
  if (original instanceof GraphQLError) return original;
  if (original instanceof DomainError) {
    const extensions = codes.get(original.constructor)?.(original as never) ?? { code: 'BAD_USER_INPUT' };
    return new GraphQLError(original.message, { nodes: graphqlError?.nodes, path: graphqlError?.path, extensions });
  }
  if (graphqlError && !graphqlError.originalError) return graphqlError;
  return new GraphQLError(message, { nodes: graphqlError?.nodes, path: graphqlError?.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** A client's mistake (bad token, missing scope, bad input): not worth a server log line. */
export function isExpectedError(error: unknown): boolean {
  const original = error instanceof GraphQLError ? error.originalError : error;
  return original instanceof DomainError || isBadId(original) || (error instanceof GraphQLError && isVariableError(error));
}

/**
 * Pothos quotes the id it could not read (`Invalid global ID: <id>`): the value came from the
 * client and may be anything it pasted, so the answer names the problem only.
 */
function badIdMessage(message: string): string {
  return message.startsWith('Invalid global ID: ') ? 'Invalid global ID' : message;
}

function isBadId(error: unknown): error is Error {
  return error instanceof PothosValidationError || error instanceof PothosSchemaError;
}
