import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import { createLogger } from '../ops/logger.ts';
import { SCOPES, type Viewer } from '../services/auth.ts';
import { createService, type Service } from '../service.ts';

/** A command's failure: its message on stderr and exit code 1. */
export class CliError extends Error {}

/**
 * The service for a one-shot command, built by the composition root and never started: the same
 * settings as `serve` (HOOKGATE_DB…), log lines on stderr so that stdout holds only the output.
 */
export async function withService<T>(run: (service: Service) => Promise<T> | T): Promise<T> {
  const config = loadConfig();
  // Warnings only, unless LOG_LEVEL asks for more: a command's output is what it prints.
  const level = process.env.LOG_LEVEL?.trim() ? config.logLevel : 'warn';
  const service = createService(config, { logger: createLogger({ level, destination: pino.destination({ dest: 2, sync: true }), pretty: false }) });
  try {
    return await run(service);
  } finally {
    await service.stop('command done');
  }
}

/** The operator at the command line holds the database: every scope, of the tenant named. */
export function operatorOf(service: Service, tenantName: string): Viewer {
  const tenant = service.services.tenants.byName(tenantName);
  if (!tenant) {
    const known = service.services.tenants.list().map((row) => row.name);
    const hint = known.length ? `tenants: ${known.join(', ')}` : `no tenant yet: \`hookgate tenant create ${tenantName}\` makes it`;
    throw new CliError(`unknown tenant "${tenantName}" (${hint})`);
  }
  return { tenantId: tenant.id, tenantName: tenant.name, tokenId: 'cli', scopes: [...SCOPES] };
}

/** Writes the command's output: JSON for --json, else the text. */
export function output(json: boolean, value: unknown, text: () => string) {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text() + '\n');
}
