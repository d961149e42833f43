import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, vi } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { SCOPES } from '../../src/services/auth.ts';
import { createService } from '../../src/service.ts';

/** A temp folder removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hookgate-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const SECRET_KEY = Buffer.alloc(32, 9).toString('base64');

/** Runs `hookgate …` in this process against a database file; returns its exit code and output. */
export async function cli(db: string, args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const vars = { HOOKGATE_DB: db, HOOKGATE_SECRET_KEY: SECRET_KEY, HOOKGATE_SANDBOX_POOL_SIZE: '1', LOG_LEVEL: 'warn', ...env };
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

/** The service on a database file, for a test to set up or inspect what a command did. */
export async function withDb<T>(db: string, use: (service: ReturnType<typeof createService>, viewer: (tenant?: string) => any) => T): Promise<Awaited<T>> {
  const service = createService(loadConfig({ HOOKGATE_DB: db, HOOKGATE_SECRET_KEY: SECRET_KEY, HOOKGATE_SANDBOX_POOL_SIZE: '1' }), { logger: silentLogger() });
  const viewer = (tenant = 'default') => {
    const row = service.services.tenants.byName(tenant)!;
    return { tenantId: row.id, tenantName: row.name, tokenId: 'test', scopes: [...SCOPES] };
  };
  try {
    return await use(service, viewer);
  } finally {
    await service.stop();
  }
}

/** Every file under a folder with its bytes, by relative path. */
export function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'latin1');
    }
  };
  walk(dir);
  return files;
}
