import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';
import { watchTables, type TableChanges } from './table-changes.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & {
  $client: Database.Database;
  $group: GroupCommit;
  /**
   * Asks for what was deleted to leave the files too: once the open group is committed, a
   * TRUNCATE checkpoint copies the WAL (whose frames still hold the rows as they were) into the
   * database file, where secure_delete has zeroed them, and empties the WAL. Off the main thread;
   * resolves when done (at once for :memory:).
   */
  $erase(): Promise<void>;
  /** The erase asked for and not yet done, if any (tests). */
  $erasing: Promise<void> | null;
  /** Whether the tables read on every dispatch changed (db/table-changes.ts). */
  $changes: TableChanges;
};

/** Tables whose rows the service keeps in memory while they are unchanged (services/dispatch.ts, services/secrets.ts). */
const WATCHED_TABLES = ['hooks', 'hook_versions', 'hook_secrets'] as const;

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** How often the background connection copies the WAL into the database file. */
const CHECKPOINT_INTERVAL_MS = 200;
/**
 * WAL pages past which the writing connection checkpoints by itself, as SQLite does by default
 * at 1000. Under sustained writes the WAL is seldom fully copied at the instant a write starts,
 * so it only restarts from its beginning after such a checkpoint, which then finds little left to
 * copy; the WAL file stays under about 20 MB. Also the backstop should the worker stop.
 */
const BACKSTOP_CHECKPOINT_PAGES = 4000;

/**
 * The background checkpointer: its own connection in a worker thread, running PASSIVE
 * checkpoints (they never block the writer, and skip what they cannot copy yet).
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
// An erase (Db.$erase): copy everything and empty the WAL, then say so.
parentPort.on('message', (id) => {
  let done = false;
  try {
    done = db.pragma('wal_checkpoint(TRUNCATE)', { simple: false })[0].busy === 0;
  } catch {}
  parentPort.postMessage({ id, done });
});
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next tick (or the writer's backstop) checkpoints.
  }
}, workerData.intervalMs);
`;

/**
 * In WAL mode with synchronous=NORMAL, commits never fsync; checkpoints do, and SQLite runs
 * them in the committing call every 1000 pages: a few milliseconds (copy plus two fsyncs) on the
 * main thread every few dozen runs. A worker thread takes them over, so the event loop only
 * writes the WAL; durability is unchanged (the same syncs, in another thread).
 */
function checkpointInBackground(sqlite: Database.Database, path: string): (() => Promise<void>) {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: { path: resolve(path), driver, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  // Should the worker fail, the writer goes back to SQLite's own checkpoints.
  worker.on('error', () => sqlite.open && sqlite.pragma('wal_autocheckpoint = 1000'));
  // Closing the database stops its checkpointer (the main connection closes first: no write is lost).
  const close = sqlite.close.bind(sqlite);
  sqlite.close = () => {
    void worker.terminate();
    return close();
  };
  let next = 0;
  const waiting = new Map<number, (done: boolean) => void>();
  worker.on('message', ({ id, done }: { id: number; done: boolean }) => {
    waiting.get(id)?.(done);
    waiting.delete(id);
  });
  const truncate = (): Promise<boolean> =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      worker.postMessage(id);
    });
  // A reader in the way (the writer, between two statements) makes one attempt fail: try a few times.
  return async () => {
    for (let attempt = 0; attempt < 5 && !(await truncate()); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
  };
}

export interface OpenDbOptions {
  /** Sees every SQL statement Drizzle runs (tests count them to catch N+1 reads). */
  onQuery?: (sql: string) => void;
  /** For a file: checkpoint the WAL from a worker thread instead of in the writing call. Default true. */
  backgroundCheckpoints?: boolean;
}

/** Opens (creating if needed) and migrates the database: `:memory:` or a file path. */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten with zeros, not left in free pages (secrets, scripts, logs).
  sqlite.pragma('secure_delete = ON');
  const onQuery = options.onQuery;
  const logger = onQuery ? { logQuery: (query: string) => onQuery(query) } : undefined;
  const orm = drizzle(sqlite, { schema, logger });
  migrate(orm, { migrationsFolder });
  // The watch's triggers name tables the migrations made.
  const db = Object.assign(orm, { $group: createGroupCommit(sqlite), $erasing: null, $changes: watchTables(sqlite, WATCHED_TABLES) }) as Db;
  // What was read of a group that failed may never have been stored.
  db.$group.onRollback(() => db.$changes.invalidate());
  // Closing commits the open group first: nothing written is lost by a clean stop.
  const close = sqlite.close.bind(sqlite);
  sqlite.close = () => {
    db.$group.flush();
    return close();
  };
  const background = path !== ':memory:' && options.backgroundCheckpoints !== false;
  const truncateWal = background
    ? checkpointInBackground(sqlite, path)
    : async () => {
        if (path !== ':memory:' && sqlite.open) sqlite.pragma('wal_checkpoint(TRUNCATE)');
      };
  // Erases asked for before one starts share it; one asked for while another runs follows it.
  let notStarted: Promise<void> | null = null;
  db.$erase = () => {
    if (notStarted) return notStarted;
    const erase = (db.$erasing ?? Promise.resolve())
      .then(() => {
        notStarted = null;
        // After the group that deletes is committed.
        return db.$group.settled().catch(() => {});
      })
      .then(truncateWal);
    notStarted = erase;
    db.$erasing = erase;
    void erase.finally(() => {
      if (db.$erasing === erase) db.$erasing = null;
    });
    return erase;
  };
  return db;
}
