import { Command, Option } from 'commander';
import { applyPlan, checkScripts } from '../hooks-as-code/apply.ts';
import { deployCliName, readAuth0Folder } from '../hooks-as-code/auth0-folder.ts';
import { readHookgateFolder } from '../hooks-as-code/hookgate-folder.ts';
import { loadKeywords } from '../hooks-as-code/keywords.ts';
import { formatPlan, planImport } from '../hooks-as-code/plan.ts';
import { storedHooks } from '../hooks-as-code/stored.ts';
import { CliError, operatorOf, output, withService } from './context.ts';

interface ImportOptions {
  tenant: string;
  format: 'hookgate' | 'auth0';
  dryRun?: boolean;
  delete?: boolean;
  keywords?: string;
  json?: boolean;
}

/** `hookgate import DIR`: prints the plan, then applies it (all or nothing) unless --dry-run. */
export function importCommand(): Command {
  return new Command('import')
    .description('import hooks from a folder: prints the plan (create / update / unchanged / delete), then applies it in one transaction')
    .argument('<dir>', 'folder to import')
    .option('--tenant <name>', 'tenant name', 'default')
    .addOption(new Option('--format <format>', 'folder format: hookgate (export\'s) or auth0 (Deploy CLI directory or tenant.yaml)').choices(['hookgate', 'auth0']).default('hookgate'))
    .option('--dry-run', 'print the plan and change nothing')
    .option('--delete', 'delete hooks of the tenant that are not in the folder (else they are only listed)')
    .option('--keywords <json-or-file>', 'auth0 format: keyword mappings for @@KEY@@ and ##KEY## (else AUTH0_KEYWORD_REPLACE_MAPPINGS, or an environment variable per key)')
    .option('--json', 'print the plan and outcome as JSON')
    .action(async (dir: string, options: ImportOptions) => {
      // The folder is read and checked before the database is opened: a bad folder changes nothing.
      const auth0 = options.format === 'auth0';
      const specs = auth0 ? readAuth0Folder(dir, loadKeywords(options.keywords)) : readHookgateFolder(dir);
      if (options.delete && specs.length === 0) {
        // Most likely the wrong folder or format: --delete would empty the tenant.
        throw new CliError(`${dir}: the folder holds no hooks, so --delete would delete every hook of the tenant; refused (check the folder and --format)`);
      }
      await withService(async (service) => {
        const viewer = operatorOf(service, options.tenant);
        const steps = planImport(specs, storedHooks(service.services, viewer), {
          allowDelete: !!options.delete,
          secretValues: (hook) => service.services.secrets.hookSecretValues(hook.id),
          // The Deploy CLI lower-cases names and turns blanks into dashes.
          match: auth0 ? deployCliName : undefined,
        });
        await checkScripts(steps, service.sandbox);
        const apply = !options.dryRun;
        if (!options.json) process.stdout.write(`Plan for tenant "${options.tenant}":\n${formatPlan(steps)}\n`);
        // A dry run applies the plan too, then rolls it back: it refuses what the import would.
        applyPlan(service.db, service.services, viewer, steps, { dryRun: !apply });
        const plan = steps.map(({ action, name, triggerId, file, changes, missingSecrets }) => ({ action, name, triggerId, file: file ?? null, changes, missingSecrets }));
        output(!!options.json, { applied: apply, plan }, () => (apply ? 'Applied.' : 'Dry run: nothing changed.'));
      });
    });
}
