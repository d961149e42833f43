import { Command } from 'commander';
import { output, withService } from './context.ts';

/** `hookgate migrate`: applies the migrations in drizzle/ to HOOKGATE_DB (serve does it too). */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create or migrate the database at HOOKGATE_DB (serve migrates at start as well)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      await withService((service) => {
        const { n } = service.db.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
        output(!!options.json, { database: service.config.dbPath, migrations: n }, () => `${service.config.dbPath}: migrated (${n} migrations applied)`);
      });
    });
}
