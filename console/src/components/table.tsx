import type { ComponentChildren } from 'preact';
import type { Pages } from './use-pages.ts';

/** One column: its header text and what a row shows in it. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ComponentChildren;
}

interface TableProps<T> {
  /** Read by assistive technology only (the page's heading is the visible title). */
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** The one row shown when there are none; none at all while `loaded` is false. */
  empty?: string;
  loaded?: boolean;
  rowClass?: (row: T) => string | undefined;
  busy?: boolean;
  /** Announce added rows politely (a list that updates live). */
  live?: boolean;
  testId?: string;
}

/** The console's tables: a header of column names, a row per item, and a row saying when there is none. */
export function Table<T>({ caption, columns, rows, rowKey, empty, loaded = true, rowClass, busy, live, testId }: TableProps<T>) {
  return (
    <table aria-busy={busy} data-testid={testId}>
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody aria-live={live ? 'polite' : undefined}>
        {rows.map((row) => (
          <tr key={rowKey(row)} class={rowClass?.(row)}>
            {columns.map((column) => (
              <td key={column.header}>{column.cell(row)}</td>
            ))}
          </tr>
        ))}
        {empty && loaded && rows.length === 0 && (
          <tr>
            <td colSpan={columns.length}>{empty}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

interface PagerProps {
  /** What is paged, for the navigation's name: "Pages of hooks". */
  label: string;
  previous: string;
  next: string;
  /** The page's cursor stack (use-pages.ts). */
  pages: Pages;
  /** The shown page's pageInfo; undefined while it loads. */
  pageInfo: { hasNextPage: boolean; endCursor: string | null } | undefined;
}

/** Previous and next buttons under a paged table. */
export function Pager({ label, previous, next, pages, pageInfo }: PagerProps) {
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={!pages.hasPrevious} onClick={pages.previous}>
        {previous}
      </button>
      <button type="button" disabled={!pageInfo?.hasNextPage} onClick={() => pageInfo && pages.next(pageInfo.endCursor)}>
        {next}
      </button>
    </nav>
  );
}
