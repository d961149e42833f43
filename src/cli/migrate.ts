import { Command } from 'commander';
import { migrationsOf } from '../ops/open-database.ts';
import { output, withService } from './context.ts';

/** `hookgate migrate`: applies the migrations in drizzle/ to HOOKGATE_DB (serve does it too). */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create or migrate the database at HOOKGATE_DB (serve migrates at start as well)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      await withService((service) => {
        const migrations = migrationsOf(service.db);
        output(!!options.json, { database: service.config.dbPath, migrations }, () => `${service.config.dbPath}: up to date (${migrations} migration(s) applied in all)`);
      });
    });
}
