import { isId } from '../lib/ids.ts';
import { ValidationError } from '../services/errors.ts';

/** A log line's cursor: its seq number. */
export const isSeqCursor = (cursor: string): boolean => /^[1-9][0-9]{0,14}$/.test(cursor);

/** Cursors of the lists keyed by id (hooks, executions, tokens). */
export const isIdCursor = isId;

/**
 * `after` and `before` must be cursors this list gave: anything else ("garbage") was answered as
 * if absent or as a position past the end, with a first page claiming a previous one.
 */
export function checkCursors(args: { after?: string | null; before?: string | null }, isCursor: (cursor: string) => boolean): void {
  for (const key of ['after', 'before'] as const) {
    const cursor = args[key];
    if (cursor !== null && cursor !== undefined && !isCursor(cursor)) {
      throw new ValidationError(key, `${key}: not a cursor of this list (pass the endCursor or startCursor of a page it gave)`);
    }
  }
}
