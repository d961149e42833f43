import { Command } from 'commander';
import { loadConfig, settingsHelp } from '../config.ts';
import { createService } from '../service.ts';

/** `hookgate serve`: the service, until SIGTERM or SIGINT stops it gracefully. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the GraphQL API (and /health, /ready, /metrics) until SIGTERM or SIGINT')
    .addHelpText('after', `\nSettings (environment variables; an empty one counts as unset):\n${settingsHelp()}\n`)
    .action(async () => {
      const config = loadConfig();
      const service = createService(config);
      // The first signal starts the stop; more (Ctrl-C reaches both `npx` and the CLI) change nothing.
      const stopped = new Promise<NodeJS.Signals>((resolve) => {
        process.on('SIGINT', () => resolve('SIGINT'));
        process.on('SIGTERM', () => resolve('SIGTERM'));
      });
      const { bootstrapped } = await service.start().catch(async (error: unknown) => {
        // A port in use, say: close what was opened, then fail with the reason.
        await service.stop('start failed');
        throw error;
      });
      if (bootstrapped && !config.bootstrapToken) {
        // The one time a token is shown: to the operator's terminal, never into a log line.
        process.stderr.write(`\nCreated tenant "${bootstrapped.tenant.name}" with an admin token (shown once, store it now):\n\n  ${bootstrapped.token}\n\n`);
      }
      const signal = await stopped;
      await service.stop(signal);
      const left = service.unstoppable();
      if (left > 0) {
        // Everything is closed; what is left is threads no exit can wait for (hooks wedged their
        // isolates). The signal's own default action ends the process at once, and a supervisor
        // sees the signal it sent.
        service.logger.warn({ event: 'unstoppable-threads', threads: left, signal }, 'sandbox threads wedged by hooks cannot end: stopping by the signal itself');
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
        return;
      }
      process.exit(0);
    });
}
