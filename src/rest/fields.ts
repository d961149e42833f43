import type { z } from 'zod';
import { ValidationError } from '../services/errors.ts';

/**
 * A request body or query checked against a dialect's own schema: the first problem becomes a
 * ValidationError whose field is the dialect's path (`timeout`, `dependencies.axios`), or `body`.
 */
export function parseRest<S extends z.ZodTypeAny>(schema: S, value: unknown, where: 'body' | 'query' = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const reason = issue.code === 'unrecognized_keys' ? 'Additional property not allowed' : issue.message;
  throw new ValidationError(where === 'query' ? ['query', ...path].join('.') : path.join('.') || 'body', reason);
}

/**
 * A ValidationError in a dialect's words. The services name GraphQL input fields
 * (`input.timeoutMs: at most 10000`); `renames` maps their first segment to the dialect's field
 * (`timeoutMs` → `timeout`). Fields the dialect checked itself are already its own.
 */
export function describeInvalid(error: ValidationError, renames: Readonly<Record<string, string>>) {
  if (!error.field.startsWith('input')) return { field: error.field, reason: error.message };
  const reason = error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
  const [first = '', ...rest] = error.field.split('.').slice(1);
  const field = [renames[first] ?? first, ...rest].join('.') || 'body';
  return { field, reason };
}
