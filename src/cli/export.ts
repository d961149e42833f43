import { existsSync, statSync } from 'node:fs';
import { Command } from 'commander';
import { writeHookgateFolder } from '../hooks-as-code/hookgate-folder.ts';
import { storedHooks } from '../hooks-as-code/stored.ts';
import { CliError, operatorOf, output, withService } from './context.ts';

/** `hookgate export --out DIR`: a tenant's hooks as files (secret names, never values). */
export function exportCommand(): Command {
  return new Command('export')
    .description("write a tenant's hooks to DIR/hooks/<name>/ (hook.json and script.js); secret values are never written")
    .requiredOption('--out <dir>', 'folder to write (created if missing)')
    .option('--tenant <name>', 'tenant name', 'default')
    .option('--json', 'print the result as JSON')
    .action(async (options: { out: string; tenant: string; json?: boolean }) => {
      if (existsSync(options.out) && !statSync(options.out).isDirectory()) throw new CliError(`${options.out}: not a folder`);
      await withService((service) => {
        const hooks = storedHooks(service.services, operatorOf(service, options.tenant));
        const removed = writeHookgateFolder(options.out, hooks);
        output(!!options.json, { out: options.out, hooks: hooks.map((hook) => hook.name).sort(), removed }, () =>
          [`Exported ${hooks.length} hook(s) of tenant "${options.tenant}" to ${options.out}`, ...removed.map((name) => `  removed ${name} (no longer in the tenant)`)].join('\n'),
        );
      });
    });
}
