/**
 * Whether some tables changed since a moment, cheaply enough to ask on every request: what the
 * service reads on every dispatch (a tenant's hooks, their serving versions) is kept in memory
 * for as long as the tables it came from are unchanged.
 *
 * Two sources: TEMP triggers see every write of this connection to the watched tables (foreign-key
 * cascades included) and bump a counter; SQLite's `data_version` (read once per turn of the event
 * loop) changes when any other connection commits (`hookgate token revoke`, an import by the CLI
 * while the service runs), and then any table may have changed. A write rolled back still counts,
 * and so does the rollback itself (a group commit's writes are read before they are committed:
 * db/client.ts calls `invalidate`): a cache is emptied for nothing, never kept wrongly.
 */
import type Database from 'better-sqlite3';

export interface TableChanges {
  /** A number that differs from every earlier one once a watched table changed. */
  generation(): number;
  /**
   * A number that differs from every earlier one once anything changed that the triggers cannot
   * place: another connection committed, or writes were rolled back (for caches of other tables).
   */
  outsideGeneration(): number;
  /** Counts as a change: writes were rolled back (what was read meanwhile may not be stored). */
  invalidate(): void;
}

const CHANGED_FUNCTION = 'hookgate_watched_table_changed';

export function watchTables(sqlite: Database.Database, tables: readonly string[]): TableChanges {
  let counter = 0;
  sqlite.function(CHANGED_FUNCTION, { deterministic: false }, () => {
    counter++;
    return null;
  });
  for (const table of tables) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      sqlite.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS "hookgate_changed_${table}_${event.toLowerCase()}" AFTER ${event} ON main."${table}" ` +
          `BEGIN SELECT ${CHANGED_FUNCTION}(); END`,
      );
    }
  }
  // Asking SQLite costs some microseconds (it looks at the WAL's shared header): asked once per
  // turn of the event loop, so another connection's commit is seen from the next turn on.
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  let seenVersion: unknown = dataVersion.get();
  let outside = 0;
  let askedThisTurn = false;
  const nextTurn = () => (askedThisTurn = false);
  const checkOthers = () => {
    if (askedThisTurn) return;
    askedThisTurn = true;
    setImmediate(nextTurn).unref();
    const version = dataVersion.get();
    if (version !== seenVersion) {
      seenVersion = version;
      outside++;
      counter++;
    }
  };
  return {
    generation() {
      checkOthers();
      return counter;
    },
    outsideGeneration() {
      checkOthers();
      return outside;
    },
    invalidate() {
      outside++;
      counter++;
    },
  };
}

/**
 * A map whose entries hold while a generation (of TableChanges) is unchanged, bounded: past `max`
 * entries it starts again. Values are kept as given: callers keep them frozen. A load that throws
 * keeps nothing.
 */
export class WhileUnchanged<V> {
  private readonly entries = new Map<string, V>();
  private generation = -1;

  constructor(
    private readonly currentGeneration: () => number,
    private readonly max: number,
  ) {}

  get(key: string, load: () => V): V {
    const generation = this.currentGeneration();
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    if (this.entries.has(key)) return this.entries.get(key)!;
    const value = load();
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /** Forgets one entry (its row changed in a way the generation does not count). */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
