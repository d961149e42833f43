import { Command, CommanderError } from 'commander';
import { serveCommand } from './serve.ts';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The `hookgate` program: one subcommand per file in this folder. */
export function program(): Command {
  const root = new Command('hookgate')
    .description('hookgate: extensibility hooks for sign-up and sign-in pipelines, as a GraphQL service')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  root.addCommand(serveCommand());
  for (const command of root.commands) command.exitOverride();
  return root;
}

/**
 * Runs the CLI and resolves with its exit code: 0 done, 1 the command failed (its message on
 * stderr, no stack trace), 2 bad usage. Commands print their own output.
 */
export async function runCli(args: string[]): Promise<number> {
  try {
    await program().parseAsync(args, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`hookgate: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}
