import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { envVars, hookSecrets } from '../db/schema.ts';
import { WhileUnchanged } from '../db/table-changes.ts';
import { authorize, type Viewer } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { LimitExceededError, NameTakenError, NotFoundError, ValidationError } from './errors.ts';
import type { HookService } from './hooks.ts';
import { variableName } from './hook-input.ts';
import { parseInput } from './validation.ts';

export const MAX_SECRETS_PER_HOOK = 50;
/**
 * What Auth0 answers in place of every secret value, and what its Deploy CLI sends back for a
 * secret it did not change: it keeps the stored value, and is never stored as one.
 */
export const HIDDEN_SECRET_VALUE = '_VALUE_NOT_SHOWN_';
export const MAX_ENV_VARS_PER_TENANT = 200;
/** Hooks whose encrypted secrets are kept in memory between runs. */
const MAX_HOOKS_KEPT = 10_000;
const MAX_VALUE_LENGTH = 10_000;

const secretValue = z.string().max(MAX_VALUE_LENGTH);
const setSecretsInput = z.object({
  hookId: z.string(),
  secrets: z.array(z.object({ name: variableName, value: secretValue })).min(1).max(MAX_SECRETS_PER_HOOK),
});
const deleteSecretsInput = z.object({ hookId: z.string(), names: z.array(variableName).min(1).max(MAX_SECRETS_PER_HOOK) });
const setEnvVarInput = z.object({ name: variableName, value: secretValue });
/** What may be read of an env var: never its value. */
const envVarColumns = { name: envVars.name, createdAt: envVars.createdAt, updatedAt: envVars.updatedAt };

export type SecretService = ReturnType<typeof createSecretService>;

type EncryptedSecret = { readonly name: string; readonly valueEncrypted: string };

/**
 * How a write treats names: `upsert` sets any (GraphQL); `add` only new ones, a taken name is a
 * NameTakenError (Auth0's POST); `update` only existing ones, else NotFoundError (Auth0's PATCH).
 */
export type WriteMode = 'upsert' | 'add' | 'update';

function checkMode(mode: WriteMode, exists: boolean, field: string, entity: string, name: string) {
  if (mode === 'add' && exists) throw new NameTakenError(field, name);
  if (mode === 'update' && !exists) throw new NotFoundError(entity, name);
}

/**
 * Hook secrets and tenant env vars. Values are write-only: stored encrypted, decrypted only to
 * hand them to a run, never returned by a query.
 */
export function createSecretService({ db, clock, secretBox }: ServiceDeps, hookService: HookService) {
  const decryptAll = (rows: readonly EncryptedSecret[]) =>
    Object.fromEntries(rows.map((row) => [row.name, secretBox.decrypt(row.valueEncrypted)]));
  // Read on every run: prepared once.
  const secretsOfHook = db.select().from(hookSecrets).where(eq(hookSecrets.hookId, sql.placeholder('hookId'))).prepare();
  // And kept, still encrypted, while the table is unchanged: decrypted only for the run at hand.
  const encryptedOfHook = new WhileUnchanged<readonly EncryptedSecret[]>(() => db.$changes.generation(), MAX_HOOKS_KEPT);

  return {
    setHookSecrets(viewer: Viewer | null, rawInput: unknown, mode: WriteMode = 'upsert') {
      const { tenantId } = authorize(viewer, 'update:hooks');
      const input = parseInput(setSecretsInput, rawInput);
      return db.transaction(() => {
        const hook = hookService.find(tenantId, input.hookId);
        const now = clock.now();
        const existing = new Set(secretsOfHook.all({ hookId: hook.id }).map((row) => row.name));
        input.secrets.forEach(({ name, value }, i) => {
          checkMode(mode, existing.has(name), `input.secrets.${i}.name`, 'HookSecret', name);
          if (value === HIDDEN_SECRET_VALUE && !existing.has(name)) {
            const field = `input.secrets.${i}.value`;
            throw new ValidationError(field, `${field}: ${HIDDEN_SECRET_VALUE} stands for a hidden value and is not one`);
          }
        });
        for (const { name, value } of input.secrets) {
          if (value === HIDDEN_SECRET_VALUE) continue;
          const valueEncrypted = secretBox.encrypt(value);
          db.insert(hookSecrets)
            .values({ hookId: hook.id, name, valueEncrypted, updatedAt: now })
            .onConflictDoUpdate({ target: [hookSecrets.hookId, hookSecrets.name], set: { valueEncrypted, updatedAt: now } })
            .run();
        }
        const total = db.select({ n: count() }).from(hookSecrets).where(eq(hookSecrets.hookId, hook.id)).get()!.n;
        if (total > MAX_SECRETS_PER_HOOK) {
          // Throwing inside the transaction rolls the whole batch back.
          throw new LimitExceededError('input.secrets', MAX_SECRETS_PER_HOOK, `A hook holds at most ${MAX_SECRETS_PER_HOOK} secrets`);
        }
        return hook;
      });
    },

    deleteHookSecrets(viewer: Viewer | null, rawInput: unknown) {
      const { tenantId } = authorize(viewer, 'update:hooks');
      const input = parseInput(deleteSecretsInput, rawInput);
      const hook = hookService.find(tenantId, input.hookId);
      db.delete(hookSecrets).where(and(eq(hookSecrets.hookId, hook.id), inArray(hookSecrets.name, input.names))).run();
      return hook;
    },

    /** Secret names and update times of many hooks at once (for loaders); never values. */
    secretNamesByHookIds(hookIds: readonly string[]) {
      return db
        .select({ hookId: hookSecrets.hookId, name: hookSecrets.name, updatedAt: hookSecrets.updatedAt })
        .from(hookSecrets)
        .where(inArray(hookSecrets.hookId, [...hookIds]))
        .orderBy(asc(hookSecrets.name))
        .all();
    },

    /** Decrypted secrets of a hook, for a run only. */
    hookSecretValues(hookId: string): Record<string, string> {
      const rows = encryptedOfHook.get(hookId, () =>
        Object.freeze(secretsOfHook.all({ hookId }).map(({ name, valueEncrypted }) => Object.freeze({ name, valueEncrypted }))),
      );
      return decryptAll(rows);
    },

    setEnvVar(viewer: Viewer | null, rawInput: unknown, mode: WriteMode = 'upsert') {
      const { tenantId } = authorize(viewer, 'update:hooks');
      const { name, value } = parseInput(setEnvVarInput, rawInput);
      const now = clock.now();
      const valueEncrypted = secretBox.encrypt(value);
      return db.transaction(() => {
        if (mode !== 'upsert') {
          const exists = db.select({ name: envVars.name }).from(envVars).where(and(eq(envVars.tenantId, tenantId), eq(envVars.name, name))).get();
          checkMode(mode, exists !== undefined, 'input.name', 'EnvVar', name);
        }
        const row = db
          .insert(envVars)
          .values({ tenantId, name, valueEncrypted, createdAt: now, updatedAt: now })
          .onConflictDoUpdate({ target: [envVars.tenantId, envVars.name], set: { valueEncrypted, updatedAt: now } })
          .returning(envVarColumns)
          .get();
        const total = db.select({ n: count() }).from(envVars).where(eq(envVars.tenantId, tenantId)).get()!.n;
        if (total > MAX_ENV_VARS_PER_TENANT) {
          throw new LimitExceededError('input.name', MAX_ENV_VARS_PER_TENANT, `A tenant holds at most ${MAX_ENV_VARS_PER_TENANT} env vars`);
        }
        return row;
      });
    },

    /** Deletes an env var; returns whether it existed. */
    deleteEnvVar(viewer: Viewer | null, rawInput: unknown): boolean {
      const { tenantId } = authorize(viewer, 'update:hooks');
      const { name } = parseInput(z.object({ name: variableName }), rawInput);
      const deleted = db.delete(envVars).where(and(eq(envVars.tenantId, tenantId), eq(envVars.name, name))).returning().all();
      return deleted.length > 0;
    },

    listEnvVars(viewer: Viewer | null) {
      const { tenantId } = authorize(viewer, 'read:hooks');
      return db
        .select(envVarColumns)
        .from(envVars)
        .where(eq(envVars.tenantId, tenantId))
        .orderBy(asc(envVars.name))
        .all();
    },

    /** Decrypted env vars of a tenant, limited to the names a hook lists, for a run only. */
    envVarValues(tenantId: string, names: readonly string[]): Record<string, string> {
      if (names.length === 0) return {};
      return decryptAll(
        db.select().from(envVars).where(and(eq(envVars.tenantId, tenantId), inArray(envVars.name, [...names]))).all(),
      );
    },
  };
}
