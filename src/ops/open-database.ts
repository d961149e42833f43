import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openDb, type Db, type OpenDbOptions } from '../db/client.ts';
import type { Logger } from './logger.ts';

/** Migrations recorded in a database (0 for a new one). */
function appliedMigrations(sqlite: Database.Database): number {
  try {
    return (sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
  } catch {
    return 0;
  }
}

/** Opens and migrates the database, and says in the log what the migrations did. */
export function openDatabase(path: string, logger: Logger, options: OpenDbOptions = {}): Db {
  let before = 0;
  if (path !== ':memory:' && existsSync(path)) {
    const peek = new Database(path, { readonly: true, fileMustExist: true });
    try {
      before = appliedMigrations(peek);
    } finally {
      peek.close();
    }
  }
  const db = openDb(path, options);
  const total = appliedMigrations(db.$client);
  if (total > before) logger.info({ event: 'migrations-applied', path, applied: total - before, total }, 'database migrated');
  else logger.debug({ event: 'database-opened', path, migrations: total }, 'database opened, no migration to apply');
  return db;
}

/** How many migrations the open database holds (for `hookgate migrate`). */
export const migrationsOf = (db: Db) => appliedMigrations(db.$client);
