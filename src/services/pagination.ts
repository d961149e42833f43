import { and, asc, desc, gt, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * A keyset page over a time-ordered id column, newest first. `after` and `before` are ids;
 * `inverted` means the page is read from the other end (a `last`/`before` request) and the
 * rows come back oldest first, as Pothos' resolveCursorConnection expects.
 */
export interface Page {
  after?: string;
  before?: string;
  limit: number;
  inverted: boolean;
}

export function keysetWhere(column: SQLiteColumn, page: Page): SQL | undefined {
  return and(page.after ? lt(column, page.after) : undefined, page.before ? gt(column, page.before) : undefined);
}

export function keysetOrder(column: SQLiteColumn, page: Page): SQL {
  return page.inverted ? asc(column) : desc(column);
}
