import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  AuthenticationError,
  DomainError,
  EnabledHookLimitError,
  ForbiddenError,
  HookTypeTakenError,
  InvalidBase64Error,
  NameTakenError,
  NotFoundError,
  RateLimitedError,
  ScriptSyntaxError,
  TimeoutTooLongError,
  UnknownTriggerError,
  ValidationError,
} from '../../services/errors.ts';
import { describeInvalid } from '../fields.ts';
import { MethodNotAllowedError } from '../method-not-allowed.ts';
import { BodyTooLargeError, type ErrorAnswer } from '../router.ts';

/** OneLogin's own check of `function`, quoted in its 422 answer. */
const BASE64_PATTERN_TEXT = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

/** Service input fields in OneLogin's words. */
const RENAMES = {
  scriptBase64: 'function',
  script: 'function',
  triggerId: 'type',
  enabled: 'disabled',
  timeoutMs: 'timeout',
  envVarNames: 'env_vars',
  contextVersion: 'context_version',
  dependencies: 'packages',
} as const;

const answer = (status: ContentfulStatusCode, name: string, message: string): ErrorAnswer => ({ status, body: { name, message } });
const unprocessable = (message: string) => answer(422, 'UnprocessableEntityError', message);

const NOT_FOUND: Record<string, string> = { Hook: 'Hook not found', EnvVar: 'Environment variable not found' };

/** Failures as the Smart Hooks API answers them: `{name, message}` (the seed's bodies, exactly where it shows one). */
export function oneloginErrorAnswer(error: DomainError): ErrorAnswer {
  if (error instanceof AuthenticationError) {
    return { status: 401, body: { message: 'Unauthorized', statusCode: 401, name: 'UnauthorizedError' } };
  }
  if (error instanceof ForbiddenError) return answer(403, 'ForbiddenError', `This request needs the scope ${error.scope} (or Manage All: *)`);
  if (error instanceof NotFoundError) return answer(404, 'NotFoundError', NOT_FOUND[error.entity] ?? 'Not Found');
  if (error instanceof NameTakenError) return answer(409, 'ConflictError', `An environment variable named ${error.value} already exists`);
  if (error instanceof HookTypeTakenError || error instanceof EnabledHookLimitError) return answer(409, 'ConflictError', error.message);
  if (error instanceof RateLimitedError) return answer(429, 'TooManyRequestsError', error.message);
  if (error instanceof MethodNotAllowedError) return answer(405, 'MethodNotAllowedError', error.message);
  if (error instanceof BodyTooLargeError) return answer(413, 'PayloadTooLargeError', error.message);
  if (error instanceof InvalidBase64Error) return unprocessable(`instance.function does not match pattern "${BASE64_PATTERN_TEXT}"`);
  if (error instanceof UnknownTriggerError) return unprocessable(`instance.type is not one of enum values: ${error.known.join(',')}`);
  if (error instanceof ScriptSyntaxError) return unprocessable(`instance.function does not compile: ${error.message}`);
  if (error instanceof TimeoutTooLongError) return unprocessable(`instance.timeout must be less than or equal to ${error.ceilingMs / 1000}`);
  if (error instanceof ValidationError) {
    const { field, reason } = describeInvalid(error, RENAMES);
    return unprocessable(`instance${field === 'body' ? '' : `.${field.replace(/^query\./, '')}`} ${reason}`);
  }
  return unprocessable(error.message);
}

export const ONELOGIN_INTERNAL_ERROR = answer(500, 'InternalServerError', 'Internal Server Error');
