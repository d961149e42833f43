import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting: its variable, what it means and its default, as `hookgate serve --help` and the
 * README list them. Parsed by zod; a bad value stops the start with the variable's name.
 */
export const SETTINGS = {
  PORT: { help: 'HTTP port', default: '4000', schema: z.coerce.number().int().min(0).max(65535).default(4000) },
  HOST: { help: 'interface to listen on', default: '0.0.0.0', schema: z.string().default('0.0.0.0') },
  HOOKGATE_DB: { help: 'SQLite file, or :memory:', default: './data/hookgate.db', schema: z.string().default('./data/hookgate.db') },
  HOOKGATE_SECRET_KEY: {
    help: '32-byte key (base64 or hex) encrypting secrets and env vars at rest',
    default: 'generated into <data folder>/secret.key',
    schema: z.string().optional(),
  },
  HOOKGATE_BOOTSTRAP_TOKEN: {
    help: 'the first admin token on an empty database (at least 20 characters)',
    default: 'random, printed once',
    schema: z.string().min(20, 'HOOKGATE_BOOTSTRAP_TOKEN must be at least 20 characters').optional(),
  },
  HOOKGATE_FETCH_ALLOW_HOSTS: {
    help: 'comma-separated hosts hooks may fetch although they resolve to private or loopback addresses',
    default: 'none',
    schema: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((host) => host.trim()).filter(Boolean)),
  },
  HOOKGATE_SANDBOX_POOL_SIZE: { help: 'isolates running hooks', default: 'one per core', schema: z.coerce.number().int().min(1).optional() },
  HOOKGATE_SANDBOX_MEMORY_MB: { help: 'heap limit per isolate, in MB', default: '128', schema: z.coerce.number().int().min(8).default(128) },
  HOOKGATE_SANDBOX_PROCESSES: {
    help: 'sandbox processes (children of the service) running hooks; tenants are spread over them',
    default: '1',
    schema: z.coerce.number().int().min(1).max(64).optional(),
  },
  HOOKGATE_SANDBOX_TENANT_SLOTS: {
    help: "CPU slots one tenant's hooks may hold at once in a sandbox process",
    default: 'half the pool, at least 1',
    schema: z.coerce.number().int().min(1).optional(),
  },
  HOOKGATE_SANDBOX_MAX_ISOLATES: {
    help: 'isolates a sandbox process keeps; with the heap limit, it bounds the pool’s memory',
    default: '64',
    schema: z.coerce.number().int().min(1).optional(),
  },
  HOOKGATE_SANDBOX_PROCESS_MEMORY_MB: {
    help: 'resident memory past which a sandbox process is replaced (its runs finish first; killed at 1.5 times it)',
    default: '256 + max isolates × heap limit, at most half the machine',
    schema: z.coerce.number().int().min(128).optional(),
  },
  HOOKGATE_EXECUTION_RETENTION_DAYS: {
    help: 'executions older than this are deleted',
    default: '30',
    schema: z.coerce.number().positive().default(30),
  },
  HOOKGATE_RETENTION_SWEEP_MINUTES: { help: 'how often the retention sweep runs', default: '60', schema: z.coerce.number().positive().default(60) },
  HOOKGATE_RUN_RATE_LIMIT: {
    help: 'runs per API token per minute; 0 turns the limit off',
    default: '600',
    schema: z.coerce.number().int().min(0).default(600),
  },
  HOOKGATE_API_RATE_LIMIT: {
    help: 'management-API requests (/api/v2, /api/2) per API token per minute, a budget apart from runs; 0 turns the limit off',
    default: '600',
    schema: z.coerce.number().int().min(0).default(600),
  },
  HOOKGATE_SHUTDOWN_TIMEOUT_MS: {
    help: 'on SIGTERM/SIGINT, how long runs in flight may finish before they are recorded as interrupted',
    default: '10000',
    schema: z.coerce.number().int().min(0).default(10_000),
  },
  HOOKGATE_METRICS_PORT: {
    help: 'serve /metrics on this port only (not on PORT)',
    default: 'unset: /metrics on PORT',
    schema: z.coerce.number().int().min(0).max(65535).optional(),
  },
  HOOKGATE_METRICS_HOST: { help: 'interface of HOOKGATE_METRICS_PORT', default: 'HOST', schema: z.string().optional() },
  HOOKGATE_METRICS_TOKEN: {
    help: 'when set, /metrics requires Authorization: Bearer <this value>',
    default: 'none',
    schema: z.string().min(16, 'HOOKGATE_METRICS_TOKEN must be at least 16 characters').optional(),
  },
  HOOKGATE_NPM_REGISTRY: {
    help: "registry hooks' npm packages come from",
    default: "npm's own (npm_config_registry, .npmrc), else https://registry.npmjs.org/",
    schema: z.string().url('HOOKGATE_NPM_REGISTRY must be a URL').optional(),
  },
  HOOKGATE_PACKAGES_ALLOW: {
    help: 'comma-separated npm packages hooks may ask for: names or patterns such as @acme/*',
    default: 'any',
    schema: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean)),
  },
  HOOKGATE_PACKAGES_MAX_BUNDLE_BYTES: {
    help: "largest bundle of a hook's packages, in bytes",
    default: '16777216',
    schema: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  },
  HOOKGATE_PACKAGES_DIR: {
    help: "where hooks' package bundles and the registry cache are kept",
    default: '<data folder>/packages',
    schema: z.string().optional(),
  },
  LOG_LEVEL: { help: `log level: ${LOG_LEVELS.join(', ')}`, default: 'info', schema: z.enum(LOG_LEVELS).default('info') },
} as const;

type SettingName = keyof typeof SETTINGS;

const envSchema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, setting]) => [name, setting.schema])) as {
    [K in SettingName]: (typeof SETTINGS)[K]['schema'];
  },
);

export type Config = ReturnType<typeof loadConfig>;

export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Reads the environment into one validated object; a bad value stops the start with its name.
 * A variable set to the empty string (or blanks) counts as unset: `PORT=` means the default port.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const given = Object.fromEntries(Object.keys(SETTINGS).flatMap((name) => (env[name]?.trim() ? [[name, env[name]]] : [])));
  const parsed = envSchema.safeParse(given);
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
    sandboxProcesses: values.HOOKGATE_SANDBOX_PROCESSES,
    sandboxTenantSlots: values.HOOKGATE_SANDBOX_TENANT_SLOTS,
    sandboxMaxIsolates: values.HOOKGATE_SANDBOX_MAX_ISOLATES,
    sandboxProcessMemoryMb: values.HOOKGATE_SANDBOX_PROCESS_MEMORY_MB,
    retentionMs: values.HOOKGATE_EXECUTION_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    retentionSweepMs: values.HOOKGATE_RETENTION_SWEEP_MINUTES * 60 * 1000,
    runRateLimitPerMinute: values.HOOKGATE_RUN_RATE_LIMIT,
    apiRateLimitPerMinute: values.HOOKGATE_API_RATE_LIMIT,
    shutdownTimeoutMs: values.HOOKGATE_SHUTDOWN_TIMEOUT_MS,
    metrics: {
      /** Undefined: /metrics is served on the main port. */
      port: values.HOOKGATE_METRICS_PORT,
      host: values.HOOKGATE_METRICS_HOST ?? values.HOST,
      token: values.HOOKGATE_METRICS_TOKEN,
    },
    packages: {
      registry: values.HOOKGATE_NPM_REGISTRY,
      allow: values.HOOKGATE_PACKAGES_ALLOW,
      maxBundleBytes: values.HOOKGATE_PACKAGES_MAX_BUNDLE_BYTES,
      dir: resolve(values.HOOKGATE_PACKAGES_DIR ?? join(dataDir, 'packages')),
    },
    logLevel: values.LOG_LEVEL,
  };
}

/** "  NAME  meaning (default: …)" lines, for `hookgate serve --help`. */
export function settingsHelp(): string {
  const width = Math.max(...Object.keys(SETTINGS).map((name) => name.length));
  return Object.entries(SETTINGS)
    .map(([name, setting]) => `  ${name.padEnd(width)}  ${setting.help} (default: ${setting.default})`)
    .join('\n');
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
