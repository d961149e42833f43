import { Command } from 'commander';
import { SCOPES } from '../services/auth.ts';
import { output, withService } from './context.ts';

/** `hookgate tenant create|list`. */
export function tenantCommand(): Command {
  const tenant = new Command('tenant').description('create and list tenants');
  tenant
    .command('create')
    .description('create a tenant and an admin token for it (the token is shown once)')
    .argument('<name>', 'tenant name')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      await withService((service) => {
        const operator = { tenantId: '', tenantName: '', tokenId: 'cli', scopes: [...SCOPES] };
        const { tenant: row, token } = service.services.tenants.create(operator, { name });
        output(!!options.json, { id: row.id, name: row.name, token }, () => `Created tenant "${row.name}" (${row.id}). Its admin token, shown once:\n\n  ${token}\n`);
      });
    });
  tenant
    .command('list')
    .description('list the tenants')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      await withService((service) => {
        const rows = service.services.tenants.list().map((row) => ({ id: row.id, name: row.name, createdAt: new Date(row.createdAt).toISOString() }));
        output(!!options.json, rows, () => rows.map((row) => `${row.name}\t${row.id}\t${row.createdAt}`).join('\n') || '(no tenants)');
      });
    });
  return tenant;
}
