/**
 * The storage model. Ids are UUIDv7 (time-ordered), so ordering by id is ordering by creation
 * and keyset pagination needs no second column. Times are epoch milliseconds.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: integer('created_at').notNull(),
});

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters of the token, so people can tell their tokens apart. */
    prefix: text('prefix').notNull(),
    scopes: json<string[]>('scopes').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_tokens_tenant_idx').on(t.tenantId, t.id)],
);

export const hooks = sqliteTable(
  'hooks',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    triggerId: text('trigger_id').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    timeoutMs: integer('timeout_ms').notNull(),
    retries: integer('retries').notNull(),
    conditions: json<{ source: string; operator: string; value: string }[]>('conditions').notNull(),
    options: json<Record<string, unknown>>('options').notNull(),
    envVarNames: json<string[]>('env_var_names').notNull(),
    contextVersion: text('context_version'),
    /** npm packages the hook asks for, name → version range (Auth0 `dependencies`, OneLogin `packages`). */
    dependencies: json<Record<string, string>>('dependencies').notNull().default({}),
    status: text('status').notNull(),
    /** Number of the newest version; its row in hook_versions holds the script. */
    version: integer('version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('hooks_tenant_name_uq').on(t.tenantId, t.name),
    index('hooks_tenant_trigger_idx').on(t.tenantId, t.triggerId, t.enabled),
    index('hooks_tenant_id_idx').on(t.tenantId, t.id),
  ],
);

export const hookVersions = sqliteTable(
  'hook_versions',
  {
    id: text('id').primaryKey(),
    hookId: text('hook_id')
      .notNull()
      .references(() => hooks.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    script: text('script').notNull(),
    /** The npm packages this version asked for, name → range (the hook's dependencies when it was made). */
    dependencies: json<Record<string, string>>('dependencies').notNull().default({}),
    /** QUEUED → BUILDING → READY | FAILED: the build of its packages (src/packages/). READY when it needs none. */
    buildStatus: text('build_status').notNull().default('READY'),
    /** The built bundle's key in the package cache; null when the version needs no packages. */
    bundleKey: text('bundle_key'),
    /** The exact versions the build resolved: `[{name, version, integrity}]`. */
    resolvedPackages: json<{ name: string; version: string; integrity: string | null }[]>('resolved_packages'),
    /** Why the build failed: `{code, message, package}`. */
    buildError: json<{ code: string; message: string; package: string | null }>('build_error'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('hook_versions_hook_version_uq').on(t.hookId, t.version), index('hook_versions_build_status_idx').on(t.buildStatus)],
);

export const hookSecrets = sqliteTable(
  'hook_secrets',
  {
    hookId: text('hook_id')
      .notNull()
      .references(() => hooks.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** AES-256-GCM: `iv.tag.ciphertext`, base64url parts. */
    valueEncrypted: text('value_encrypted').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hookId, t.name] })],
);

export const envVars = sqliteTable(
  'env_vars',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    valueEncrypted: text('value_encrypted').notNull(),
    /** Null for env vars set before this column existed. */
    createdAt: integer('created_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);

export const executions = sqliteTable(
  'executions',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    hookId: text('hook_id')
      .notNull()
      .references(() => hooks.id, { onDelete: 'cascade' }),
    /** Null for a draft run of the Runner: the draft script is not saved. */
    versionId: text('version_id').references(() => hookVersions.id, { onDelete: 'set null' }),
    triggerId: text('trigger_id').notNull(),
    status: text('status').notNull(),
    source: text('source').notNull(),
    attempts: integer('attempts').notNull(),
    payload: json<unknown>('payload'),
    /** What the hook returned, redacted. */
    response: json<unknown>('response'),
    /** What the trigger contract let through to the pipeline. */
    effectiveResponse: json<unknown>('effective_response'),
    /** ALLOW or DENY, once the run has ended. */
    outcome: text('outcome'),
    warnings: json<{ path: string; reason: string }[]>('warnings').notNull(),
    error: json<unknown>('error'),
    logsTruncated: integer('logs_truncated', { mode: 'boolean' }).notNull().default(false),
    durationMs: integer('duration_ms'),
    cpuTimeMs: integer('cpu_time_ms'),
    /** The unredacted input of a queued async run, encrypted, kept only until the run ends. */
    pendingInput: text('pending_input'),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    index('executions_tenant_id_idx').on(t.tenantId, t.id),
    index('executions_tenant_hook_idx').on(t.tenantId, t.hookId, t.id),
    index('executions_tenant_trigger_idx').on(t.tenantId, t.triggerId, t.id),
    index('executions_tenant_status_idx').on(t.tenantId, t.status, t.id),
    index('executions_status_idx').on(t.status),
    // Foreign-key actions (a hook or version deleted) look executions up by these alone.
    index('executions_hook_idx').on(t.hookId),
    index('executions_version_idx').on(t.versionId),
    index('executions_created_idx').on(t.createdAt),
  ],
);

export const executionLogs = sqliteTable(
  'execution_logs',
  {
    executionId: text('execution_id')
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    level: text('level').notNull(),
    message: text('message').notNull(),
    time: integer('time').notNull(),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.seq] })],
);

export type TenantRow = typeof tenants.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type HookRow = typeof hooks.$inferSelect;
export type HookVersionRow = typeof hookVersions.$inferSelect;
export type HookSecretRow = typeof hookSecrets.$inferSelect;
export type EnvVarRow = typeof envVars.$inferSelect;
export type ExecutionRow = typeof executions.$inferSelect;
export type ExecutionLogRow = typeof executionLogs.$inferSelect;

