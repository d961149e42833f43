/**
 * Ids are UUIDv7: their first 48 bits are the creation time in milliseconds, and their text
 * sorts as their time. A time bound is therefore an id bound, served by the same index as the
 * keyset cursor.
 */
export function idBoundAt(ms: number, end: 'lowest' | 'highest'): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  const rest = end === 'lowest' ? '0000-0000-0000-000000000000' : 'ffff-ffff-ffff-ffffffffffff';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${rest}`;
}
