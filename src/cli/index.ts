import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { HooksFolderError } from '../hooks-as-code/spec.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { migrateCommand } from './migrate.ts';
import { serveCommand } from './serve.ts';
import { tenantCommand } from './tenant.ts';
import { tokenCommand } from './token.ts';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The `hookgate` program: one subcommand per file in this folder. */
export function program(): Command {
  const root = new Command('hookgate')
    .description('hookgate: extensibility hooks for sign-up and sign-in pipelines, as a GraphQL service')
    .version((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [serveCommand(), migrateCommand(), tenantCommand(), tokenCommand(), exportCommand(), importCommand()]) root.addCommand(command);
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(root)) command.exitOverride();
  return root;
}

/**
 * Runs the CLI and resolves with its exit code: 0 done, 1 the command failed (its message on
 * stderr, no stack trace), 2 bad usage. Commands print their own output.
 */
export async function runCli(args: string[]): Promise<number> {
  // A command run with --json answers in JSON when it fails too: `{"error": {"message", "exitCode", "file"?}}` on stdout.
  const json = wantsJson(args);
  try {
    await program().parseAsync(args, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with code 0. Commander has printed the usage error.
      if (error.exitCode === 0) return EXIT.ok;
      if (json) printJsonError(error.message.replace(/^error: /, ''), EXIT.usage);
      return EXIT.usage;
    }
    // Expected failures carry their message; anything else too, without a stack trace.
    const message = (error as Error).message;
    if (json) printJsonError(message, EXIT.failed, error instanceof HooksFolderError ? error.file : undefined);
    else process.stderr.write(`hookgate: ${message}\n`);
    return EXIT.failed;
  }
}

/** --json among the options (not after `--`, where it would be an argument). */
function wantsJson(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

function printJsonError(message: string, exitCode: number, file?: string) {
  process.stdout.write(JSON.stringify({ error: { message, exitCode, ...(file ? { file } : {}) } }, null, 2) + '\n');
}
