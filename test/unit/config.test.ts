import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolveSecretKey, SETTINGS, settingsHelp } from '../../src/config.ts';
import { sandboxSettings } from '../../src/ops/sandbox-seam.ts';
import { silentLogger } from '../../src/ops/logger.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, dbPath: './data/hookgate.db', runRateLimitPerMinute: 600, sandboxMemoryMb: 128 });
    expect(config.retentionMs).toBe(30 * 24 * 60 * 60 * 1000);
  });

  it('reads the management-API budget apart from the run budget', () => {
    expect(loadConfig({}).apiRateLimitPerMinute).toBe(600);
    expect(loadConfig({ HOOKGATE_API_RATE_LIMIT: '0', HOOKGATE_RUN_RATE_LIMIT: '5' })).toMatchObject({ apiRateLimitPerMinute: 0, runRateLimitPerMinute: 5 });
    expect(() => loadConfig({ HOOKGATE_API_RATE_LIMIT: 'many' })).toThrow(/HOOKGATE_API_RATE_LIMIT/);
    expect(settingsHelp()).toMatch(/HOOKGATE_API_RATE_LIMIT +management-API requests .* \(default: 600\)/);
  });

  it('counts an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', HOOKGATE_RUN_RATE_LIMIT: '', HOOKGATE_SHUTDOWN_TIMEOUT_MS: ' ', LOG_LEVEL: '', HOOKGATE_BOOTSTRAP_TOKEN: '' });
    expect(config).toMatchObject({ port: 4000, runRateLimitPerMinute: 600, shutdownTimeoutMs: 10_000, logLevel: 'info', bootstrapToken: undefined });
  });

  it('reads the metrics settings, the metrics host defaulting to HOST', () => {
    expect(loadConfig({ HOST: '127.0.0.1', HOOKGATE_METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1', token: undefined });
    expect(() => loadConfig({ HOOKGATE_METRICS_TOKEN: 'short' })).toThrow(/HOOKGATE_METRICS_TOKEN/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('lists every setting in the help text', () => {
    const help = settingsHelp();
    for (const name of Object.keys(SETTINGS)) expect(help).toContain(name);
  });

  it('names the variable at fault', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ HOOKGATE_BOOTSTRAP_TOKEN: 'short' })).toThrow(/HOOKGATE_BOOTSTRAP_TOKEN/);
  });

  it('generates the secret key once into the data folder with mode 0600, then reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookgate-key-'));
    const first = resolveSecretKey({ secretKey: undefined, dataDir });
    const file = join(dataDir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(32);
    expect(resolveSecretKey({ secretKey: undefined, dataDir }).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('takes HOOKGATE_SECRET_KEY as base64 or hex, and refuses a key of the wrong size', () => {
    const key = Buffer.alloc(32, 9);
    expect(resolveSecretKey({ secretKey: key.toString('base64'), dataDir: '/nonexistent' }).equals(key)).toBe(true);
    expect(resolveSecretKey({ secretKey: key.toString('hex'), dataDir: '/nonexistent' }).equals(key)).toBe(true);
    expect(() => resolveSecretKey({ secretKey: 'c2hvcnQ=', dataDir: '/nonexistent' })).toThrow(/32-byte/);
  });
});

describe('sandbox settings', () => {
  it('pass what an operator sets to the engine, and leave the rest to its defaults', () => {
    const env = { HOOKGATE_DB: ':memory:', HOOKGATE_SECRET_KEY: randomBytes(32).toString('base64') };
    const set = sandboxSettings(
      loadConfig({ ...env, HOOKGATE_SANDBOX_PROCESSES: '3', HOOKGATE_SANDBOX_MAX_ISOLATES: '16', HOOKGATE_SANDBOX_TENANT_SLOTS: '2', HOOKGATE_SANDBOX_PROCESS_MEMORY_MB: '1024' }),
      silentLogger(),
    );
    expect(set).toMatchObject({ processes: 3, maxIsolates: 16, tenantCpuSlots: 2, processRssRetireMb: 1024 });
    const defaults = sandboxSettings(loadConfig(env), silentLogger());
    expect(defaults).toMatchObject({ processes: undefined, maxIsolates: undefined, tenantCpuSlots: undefined, processRssRetireMb: undefined });
    expect(() => loadConfig({ ...env, HOOKGATE_SANDBOX_PROCESS_MEMORY_MB: '64' })).toThrow(/HOOKGATE_SANDBOX_PROCESS_MEMORY_MB/);
    expect(() => loadConfig({ ...env, HOOKGATE_SANDBOX_PROCESSES: '0' })).toThrow(/HOOKGATE_SANDBOX_PROCESSES/);
  });
});
