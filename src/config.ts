import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  HOOKGATE_DB: z.string().default('./data/hookgate.db'),
  HOOKGATE_SECRET_KEY: z.string().optional(),
  HOOKGATE_BOOTSTRAP_TOKEN: z.string().min(20, 'HOOKGATE_BOOTSTRAP_TOKEN must be at least 20 characters').optional(),
  HOOKGATE_FETCH_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((host) => host.trim()).filter(Boolean)),
  HOOKGATE_SANDBOX_POOL_SIZE: z.coerce.number().int().min(1).optional(),
  HOOKGATE_SANDBOX_MEMORY_MB: z.coerce.number().int().min(8).default(128),
  HOOKGATE_EXECUTION_RETENTION_DAYS: z.coerce.number().positive().default(30),
  HOOKGATE_RETENTION_SWEEP_MINUTES: z.coerce.number().positive().default(60),
  // Runs (runHook, dispatchTrigger) per API token per minute; 0 turns the limit off.
  HOOKGATE_RUN_RATE_LIMIT: z.coerce.number().int().min(0).default(600),
});

export type Config = ReturnType<typeof loadConfig>;

/** Reads the environment into one validated object; a bad value stops the start with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const values = parsed.data;
  const dataDir = values.HOOKGATE_DB === ':memory:' ? resolve('data') : dirname(resolve(values.HOOKGATE_DB));
  return {
    port: values.PORT,
    host: values.HOST,
    dbPath: values.HOOKGATE_DB,
    dataDir,
    secretKey: values.HOOKGATE_SECRET_KEY,
    bootstrapToken: values.HOOKGATE_BOOTSTRAP_TOKEN,
    fetchAllowHosts: values.HOOKGATE_FETCH_ALLOW_HOSTS,
    sandboxPoolSize: values.HOOKGATE_SANDBOX_POOL_SIZE,
    sandboxMemoryMb: values.HOOKGATE_SANDBOX_MEMORY_MB,
    retentionMs: values.HOOKGATE_EXECUTION_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    retentionSweepMs: values.HOOKGATE_RETENTION_SWEEP_MINUTES * 60 * 1000,
    runRateLimitPerMinute: values.HOOKGATE_RUN_RATE_LIMIT,
  };
}

/**
 * The 32-byte encryption key: from HOOKGATE_SECRET_KEY (base64 or hex), or from a key file in
 * the data folder, generated with mode 0600 on first start.
 */
export function resolveSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): Buffer {
  if (config.secretKey) return parseKey(config.secretKey, 'HOOKGATE_SECRET_KEY');
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8').trim(), file);
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

function parseKey(text: string, source: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${source} must hold a 32-byte key, base64 or hex encoded`);
  return key;
}
