import type Database from 'better-sqlite3';

/**
 * Group commit: the executions written during one turn of the event loop share one transaction,
 * committed when the turn ends (`setImmediate`), instead of one commit each.
 *
 * A commit writes every page the transaction dirtied to the WAL: an execution's row and its
 * indexes are about ten pages, and two statements per run (started, ended) paid that twice. Under
 * concurrent runs, a turn holds several runs' writes (and a run its caller waits for, ending at
 * once, is one statement: services/run-record.ts).
 *
 * What this asks of callers, so that nothing is seen or acknowledged before it is committed:
 * - `join()` before a write that may be grouped; the statement still runs at once, on the one
 *   connection, so every read of this process sees it.
 * - `afterCommit()` for what announces the write (live events); they run once it is committed,
 *   and are dropped if the commit fails.
 * - `settled()` before answering a request: the app awaits it after every operation, so no
 *   response leaves before what the operation wrote (or saw written) is committed.
 *
 * A write that is not grouped (a hook edit, a token) still commits by itself, unless a group is
 * open at that moment: then it joins the group, and its answer waits for the group like any other.
 * Explicit transactions inside a group become savepoints (better-sqlite3 nests them).
 */
export interface GroupCommit {
  join(): void;
  afterCommit(announce: () => void): void;
  settled(): Promise<void>;
  /** Commits the open group now (closing the database, tests reading another connection). */
  flush(): void;
  /** Groups that failed so far: an operation that saw this change lost writes it may have made. */
  readonly failures: number;
  /** Told after a group was rolled back, to forget what was derived from its writes. */
  onRollback(listener: () => void): void;
}

export function createGroupCommit(sqlite: Database.Database, onError: (error: unknown) => void = console.error): GroupCommit {
  // Prepared once: `exec` parses its text on every call, and these run for every group.
  const begin = sqlite.prepare('BEGIN');
  const commitStatement = sqlite.prepare('COMMIT');
  let open = false;
  let announcements: (() => void)[] = [];
  let pending: Promise<void> | null = null;
  let resolvePending!: () => void;
  let rejectPending!: (error: unknown) => void;
  let failures = 0;
  const rollbackListeners: (() => void)[] = [];

  /** Ends the open group: committed, or failed (nothing of it was acknowledged or announced). */
  function end(failure?: unknown) {
    if (!open) return;
    open = false;
    const announce = announcements;
    const resolve = resolvePending;
    const reject = rejectPending;
    announcements = [];
    pending = null;
    if (failure === undefined) {
      try {
        commitStatement.run();
      } catch (error) {
        failure = error;
      }
    }
    if (failure !== undefined) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      failures++;
      for (const listener of rollbackListeners) listener();
      onError(failure);
      reject(failure);
      return;
    }
    resolve();
    for (const fn of announce) fn();
  }

  /** SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error). */
  function endIfRolledBack() {
    if (open && !sqlite.inTransaction) end(new Error('The database rolled back the open group of writes after an error'));
  }

  function commit() {
    endIfRolledBack();
    end();
  }

  return {
    join() {
      endIfRolledBack();
      if (open) return;
      // Inside someone's explicit transaction: the write commits with it.
      if (sqlite.inTransaction || !sqlite.open) return;
      begin.run();
      open = true;
      pending = new Promise<void>((resolve, reject) => {
        resolvePending = resolve;
        rejectPending = reject;
      });
      // Failure is reported to whoever awaits; an unawaited group must not crash the process.
      pending.catch(() => {});
      setImmediate(commit);
    },

    afterCommit(announce) {
      if (open) announcements.push(announce);
      else announce();
    },

    settled() {
      return pending ?? Promise.resolve();
    },

    flush: commit,

    get failures() {
      return failures;
    },

    onRollback(listener) {
      rollbackListeners.push(listener);
    },
  };
}
