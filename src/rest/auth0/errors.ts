import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  AuthenticationError,
  EnabledHookLimitError,
  ForbiddenError,
  NameTakenError,
  NotFoundError,
  RateLimitedError,
  ScriptSyntaxError,
  UnknownTriggerError,
  ValidationError,
  type DomainError,
} from '../../services/errors.ts';
import { describeInvalid } from '../fields.ts';
import { MethodNotAllowedError } from '../method-not-allowed.ts';
import { BodyTooLargeError, type ErrorAnswer } from '../router.ts';

/** Service input fields in Auth0's words. */
const RENAMES = { scriptBase64: 'script' } as const;

const answer = (statusCode: ContentfulStatusCode, error: string, message: string, errorCode: string): ErrorAnswer => ({
  status: statusCode,
  body: { statusCode, error, message, errorCode },
});

const invalidBody = (reason: string, field: string) =>
  answer(400, 'Bad Request', `Payload validation error: '${reason}' on property ${field}.`, 'invalid_body');

const NOT_FOUND: Record<string, (id: string) => string> = {
  Hook: () => 'Hook not found.',
  HookSecret: (name) => `Secret not found: ${name}.`,
};

/** Failures as the Management API v2 answers them: `{statusCode, error, message, errorCode}`. */
export function auth0ErrorAnswer(error: DomainError): ErrorAnswer {
  if (error instanceof AuthenticationError) return answer(401, 'Unauthorized', error.message, 'invalid_token');
  if (error instanceof ForbiddenError) {
    return answer(403, 'Forbidden', `Insufficient scope; expected any of: ${error.scope}.`, 'insufficient_scope');
  }
  if (error instanceof NotFoundError) {
    const message = NOT_FOUND[error.entity]?.(error.id) ?? 'Not Found';
    return answer(404, 'Not Found', message, error.entity === 'Hook' ? 'inexistent_hook' : 'not_found');
  }
  if (error instanceof NameTakenError) {
    return error.field.startsWith('input.secrets')
      ? answer(409, 'Conflict', `Secret with the same name already exists: ${error.value}.`, 'hook_secret_conflict')
      : answer(409, 'Conflict', 'Hook with the same name already exists.', 'hook_conflict');
  }
  if (error instanceof EnabledHookLimitError) return answer(409, 'Conflict', error.message, 'hook_conflict');
  if (error instanceof RateLimitedError) return answer(429, 'Too Many Requests', error.message, 'too_many_requests');
  if (error instanceof MethodNotAllowedError) return answer(405, 'Method Not Allowed', error.message, 'method_not_allowed');
  if (error instanceof BodyTooLargeError) return answer(413, 'Request Entity Too Large', error.message, 'payload_too_large');
  if (error instanceof ValidationError) {
    const { field, reason } = describeInvalid(error, RENAMES);
    if (field.startsWith('query.')) {
      return answer(400, 'Bad Request', `Query validation error: '${reason}' on property ${field.slice(6)}.`, 'invalid_query_string');
    }
    return invalidBody(reason, field);
  }
  if (error instanceof UnknownTriggerError) return invalidBody(error.message, 'triggerId');
  if (error instanceof ScriptSyntaxError) return invalidBody(error.message, 'script');
  // Count limits: the body asked for more than hookgate holds.
  return answer(400, 'Bad Request', error.message, 'invalid_body');
}

export const AUTH0_INTERNAL_ERROR = answer(500, 'Internal Server Error', 'An internal server error occurred.', 'internal_error');
