import type { z } from 'zod';
import { ValidationError } from './errors.ts';

/** Parses a mutation input; the first problem becomes a ValidationError naming its field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = ['input', ...issue.path].join('.');
  throw new ValidationError(field, `${field}: ${issue.message}`);
}
