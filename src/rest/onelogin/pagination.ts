import { z } from 'zod';
import { ValidationError } from '../../services/errors.ts';
import { parseRest } from '../fields.ts';
import type { RestContext } from '../router.ts';

export interface PageRequest {
  limit: number;
  offset: number;
}

const query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  page: z.coerce.number().int().min(1).optional(),
  cursor: z.string().optional(),
});

/** A cursor is the offset it starts at, opaque to clients (base64url). */
const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ValidationError('query.cursor', 'is not a cursor this API gave');
  return Number(match[1]);
}

/** OneLogin's `limit` with `page` (from 1) or `cursor` (from a previous answer's After-Cursor or Before-Cursor). */
export function pageQuery(values: Record<string, string>): PageRequest {
  const { limit, page, cursor } = parseRest(query, values, 'query');
  const offset = cursor !== undefined ? decodeCursor(cursor) : ((page ?? 1) - 1) * limit;
  return { limit, offset };
}

/** OneLogin's pagination headers: Current-Page, Page-Items, Total-Count, Total-Pages, Link, After-Cursor, Before-Cursor. */
export function pageHeaders(c: RestContext, { limit, offset }: PageRequest, items: number, total: number) {
  const link = (at: number) => {
    const url = new URL(c.req.url);
    url.searchParams.delete('page');
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('cursor', encodeCursor(at));
    return url.toString();
  };
  c.header('Current-Page', String(Math.floor(offset / limit) + 1));
  c.header('Page-Items', String(items));
  c.header('Total-Count', String(total));
  c.header('Total-Pages', String(Math.ceil(total / limit)));
  const links: string[] = [];
  if (offset + items < total) {
    c.header('After-Cursor', encodeCursor(offset + items));
    links.push(`<${link(offset + items)}>; rel="next"`);
  }
  if (offset > 0) {
    const before = Math.max(0, offset - limit);
    c.header('Before-Cursor', encodeCursor(before));
    links.push(`<${link(before)}>; rel="prev"`);
  }
  if (links.length > 0) c.header('Link', links.join(', '));
}
