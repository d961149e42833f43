import { v7 } from 'uuid';

/** Time-ordered ids: ordering by id is ordering by creation, which keyset cursors rely on. */
export const newId = (): string => v7();
