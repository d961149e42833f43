import { Command } from 'commander';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { output, withService, operatorOf } from './context.ts';

const ALL = { limit: 1000, inverted: false } as const;

/** A token's id as the API gives it (a global id) or as stored. */
function tokenIdOf(id: string): string {
  try {
    const decoded = decodeGlobalID(id);
    if (decoded.typename === 'ApiToken') return decoded.id;
  } catch {
    // Not a global id: the stored id itself.
  }
  return id;
}

/** `hookgate token create|list|revoke`. */
export function tokenCommand(): Command {
  const token = new Command('token').description("create, list and revoke a tenant's API tokens");
  token
    .command('create')
    .description('create an API token (shown once)')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--scopes <scopes>', 'comma-separated scopes, e.g. read:hooks,run:hooks (or *)')
    .option('--name <name>', 'a name for the token', 'cli')
    .option('--json', 'print the result as JSON')
    .action(async (options: { tenant: string; scopes: string; name: string; json?: boolean }) => {
      await withService((service) => {
        const viewer = operatorOf(service, options.tenant);
        const scopes = options.scopes.split(',').map((scope) => scope.trim()).filter(Boolean);
        const { apiToken: row, token: value } = service.services.tokens.create(viewer, { name: options.name, scopes });
        output(!!options.json, { id: row.id, name: row.name, scopes: row.scopes, token: value }, () => `Created token "${row.name}" (${row.id}) with ${row.scopes.join(', ')}, shown once:\n\n  ${value}\n`);
      });
    });
  token
    .command('list')
    .description("list a tenant's tokens (never their values)")
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--json', 'print the result as JSON')
    .action(async (options: { tenant: string; json?: boolean }) => {
      await withService((service) => {
        const rows = service.services.tokens.list(operatorOf(service, options.tenant), ALL).map((row) => ({
          id: row.id,
          name: row.name,
          prefix: row.prefix,
          scopes: row.scopes,
          createdAt: new Date(row.createdAt).toISOString(),
          revokedAt: row.revokedAt === null ? null : new Date(row.revokedAt).toISOString(),
        }));
        output(!!options.json, rows, () => rows.map((row) => `${row.id}\t${row.name}\t${row.scopes.join(',')}\t${row.revokedAt ? `revoked ${row.revokedAt}` : 'active'}`).join('\n') || '(no tokens)');
      });
    });
  token
    .command('revoke')
    .description('revoke a token: it fails from the next request on')
    .argument('<id>', 'token id (as listed, or its GraphQL global id)')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, options: { tenant: string; json?: boolean }) => {
      await withService((service) => {
        const row = service.services.tokens.revoke(operatorOf(service, options.tenant), tokenIdOf(id));
        output(!!options.json, { id: row.id, revokedAt: new Date(row.revokedAt!).toISOString() }, () => `Revoked token "${row.name}" (${row.id})`);
      });
    });
  return token;
}
