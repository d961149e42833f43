import type { ExecutionRow } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { LogLine } from '../sandbox/types.ts';
import type { ExecutionStore } from './execution-store.ts';

/**
 * How long a run a caller waits for may go unwritten: one that ends sooner is written once, as it
 * ended. Nobody can look at it meanwhile (its caller learns its id from the answer), and a live
 * follower sees it appear ended a few milliseconds later than it would have seen it start.
 */
export const UNWRITTEN_START_MS = 50;

/**
 * The stored execution of one run, as the run goes. A run written at once (queued, started for a
 * follower, or read back from the queue) is updated in place. A run its caller waits for is written
 * once, when it ends, if that is within UNWRITTEN_START_MS: one statement and one commit instead of
 * two each (its start and its end used to share a commit only when the run ended in the turn it
 * started in, and a run in a sandbox process never does). A run still going then, or with a console
 * line to store, is written RUNNING at that moment: admins and live followers see it, and a stop or a
 * crash under it leaves it to be recorded interrupted.
 *
 * Its id is drawn when it is written. Ids are the order executions are listed and paged in, and a
 * row stored after rows with later ids would be skipped by a reader paging past the newest one it
 * saw; `createdAt` keeps when the run was asked for.
 */
export class RunRecord {
  private readonly store: ExecutionStore;
  /** The row as stored; null while it is not written yet; `gone` once its hook was found deleted. */
  private stored: ExecutionRow | null | 'gone';
  /** The row to write while it is not (its id is drawn then). */
  private readonly draft: Omit<ExecutionRow, 'id'>;
  private timer: NodeJS.Timeout | undefined;
  /** The run is over: nothing more is written but its end (see close). */
  private closed = false;
  /** This record inserted the row (and so may write it again: see rewrite). */
  private inserted = false;
  /** Told when writing the start fails (see writeStart). */
  private readonly onError: (error: unknown) => void;

  private constructor(store: ExecutionStore, stored: ExecutionRow | null, draft: Omit<ExecutionRow, 'id'>, onError: (error: unknown) => void) {
    this.store = store;
    this.stored = stored;
    this.draft = draft;
    this.onError = onError;
  }

  /** An execution already stored (queued, or written at once). */
  static of(store: ExecutionStore, row: ExecutionRow): RunRecord {
    return new RunRecord(store, row, row, () => {});
  }

  /** A RUNNING execution written when it ends, or once it has run UNWRITTEN_START_MS (see the class). */
  static unwritten(store: ExecutionStore, draft: Omit<ExecutionRow, 'id'>, onError: (error: unknown) => void): RunRecord {
    const record = new RunRecord(store, null, draft, onError);
    record.timer = setTimeout(() => record.writeStart(), UNWRITTEN_START_MS).unref();
    return record;
  }

  /**
   * Writes the start now, if it is not written (the timer, a stop's deadline). Should the write fail
   * (the database refusing it), `onError` hears of it, and the run is written when it ends, or not at all.
   */
  writeStart(): void {
    try {
      this.written();
    } catch (error) {
      this.onError(error);
    }
  }

  /** The row as stored, written now if it was not (unless closed); undefined once its hook is gone. */
  written(): ExecutionRow | undefined {
    if (this.stored === null && !this.closed) this.write({});
    return this.stored === null || this.stored === 'gone' ? undefined : this.stored;
  }

  appendLog(line: LogLine): void {
    const row = this.written();
    if (row) this.store.appendLog(row.id, line);
  }

  /**
   * The row after the change, or undefined when it is gone (its hook was deleted while it ran). An
   * unwritten run is written here, changed.
   */
  update(changes: Partial<ExecutionRow>): ExecutionRow | undefined {
    if (this.stored === 'gone') return undefined;
    if (this.stored === null) return this.write(changes);
    const row = this.store.update(this.stored.id, changes, this.stored);
    if (row) this.stored = row;
    return row;
  }

  /**
   * After a lost group of writes (the database rolled it back): the change, or the whole row with it
   * written again when this record wrote the row and it went with the group. A blocking run's row is
   * often written once, in the group of its end: without this, a run whose end was lost would leave
   * nothing to say so.
   */
  rewrite(changes: Partial<ExecutionRow>): ExecutionRow | undefined {
    const row = this.update(changes);
    if (row || !this.inserted || this.stored === null || this.stored === 'gone') return row;
    return this.store.insertUnlessHookGone({ ...this.stored, ...withoutUndefined(changes) });
  }

  /** The run is over: an unwritten one is never written later (its end was not, after an error of the service's own). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private write(changes: Partial<ExecutionRow>): ExecutionRow | undefined {
    clearTimeout(this.timer);
    const row = this.store.insertUnlessHookGone({ ...this.draft, ...withoutUndefined(changes), id: newId() });
    this.stored = row ?? 'gone';
    this.inserted = row !== undefined;
    return row;
  }
}

/** Like an update's, undefined values leave the draft's alone. */
function withoutUndefined(changes: Partial<ExecutionRow>): Partial<ExecutionRow> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}
