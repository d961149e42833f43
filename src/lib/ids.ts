import { v7, validate } from 'uuid';

/** Time-ordered ids: ordering by id is ordering by creation, which keyset cursors rely on. */
export const newId = (): string => v7();

/** Whether a text is an id of ours (a cursor a client sends back, say). */
export const isId = (text: string): boolean => validate(text);
