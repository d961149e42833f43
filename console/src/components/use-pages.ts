import { useState } from 'preact/hooks';

/**
 * Relay paging forward with a way back: the `after` cursors of the pages before this one are kept,
 * so "previous" pops one and "next" pushes the page's end cursor.
 */
export type Pages = ReturnType<typeof usePages>;

export function usePages() {
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  return {
    /** The `after` argument of the current page (null: the first). */
    after: cursors.length > 0 ? (cursors[cursors.length - 1] ?? null) : null,
    hasPrevious: cursors.length > 0,
    previous: () => setCursors((c) => c.slice(0, -1)),
    next: (endCursor: string | null) => setCursors((c) => [...c, endCursor]),
    /** Back to the first page (a filter changed). */
    reset: () => setCursors([]),
  };
}
