/**
 * Seeds a database with many executions, for the scale benchmark:
 *   node --no-node-snapshot --import tsx scripts/seed-executions.ts [path] [count]
 * Rows are written with one prepared statement in large transactions; ids are UUIDv7 spread
 * over the last 30 days, as a month of real traffic would leave them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { v7 } from 'uuid';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/ops/logger.ts';
import { createService } from '../src/service.ts';

export const HOOKS_SEEDED = 10;

export function seedExecutions(path: string, count: number, bootstrapToken: string) {
  if (existsSync(path)) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  // Built by the composition root, never started: seeding runs no hook, so no sandbox is made.
  const service = createService(loadConfig({ HOOKGATE_DB: path, HOOKGATE_SECRET_KEY: randomBytes(32).toString('base64') }), { logger: silentLogger() });
  const { tenant } = service.services.tenants.bootstrap(bootstrapToken)!;
  const sqlite = service.db.$client;
  const now = Date.now();
  const hookIds: string[] = [];
  const versionIds: string[] = [];
  for (let i = 0; i < HOOKS_SEEDED; i++) {
    const hookId = v7({ msecs: now - 31 * 86_400_000 });
    const versionId = v7({ msecs: now - 31 * 86_400_000 });
    sqlite
      .prepare(`insert into hooks (id, tenant_id, name, trigger_id, enabled, timeout_ms, retries, conditions, options, env_var_names, status, version, created_at, updated_at)
                values (?, ?, ?, 'post-user-registration', 0, 1000, 0, '[]', '{}', '[]', 'READY', 1, ?, ?)`)
      .run(hookId, tenant.id, `hook ${i}`, now, now);
    sqlite
      .prepare(`insert into hook_versions (id, hook_id, version, script, created_at) values (?, ?, 1, 'module.exports = function (u, c, cb) { cb(null, {}) }', ?)`)
      .run(versionId, hookId, now);
    hookIds.push(hookId);
    versionIds.push(versionId);
  }
  const insert = sqlite.prepare(`insert into executions
    (id, tenant_id, hook_id, version_id, trigger_id, status, source, attempts, payload, response, effective_response, outcome, warnings, error, logs_truncated, duration_ms, cpu_time_ms, created_at, started_at, finished_at)
    values (?, ?, ?, ?, 'post-user-registration', ?, 'DISPATCH', 1, ?, 'null', 'null', 'ALLOW', '[]', null, 0, 3, 1, ?, ?, ?)`);
  const span = 30 * 86_400_000;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const at = now - span + Math.floor((i / count) * span);
      const h = i % HOOKS_SEEDED;
      const payload = JSON.stringify({ user: { id: `auth0|${i}`, email: `user${i}@example.com` }, context: { connection: { name: 'Username-Password-Authentication' } } });
      insert.run(v7({ msecs: at }), tenant.id, hookIds[h], versionIds[h], i % 50 === 0 ? 'FAILED' : 'SUCCEEDED', payload, at, at, at + 3);
    }
  });
  for (let from = 0; from < count; from += 50_000) batch(from, Math.min(count, from + 50_000));
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('ANALYZE');
  sqlite.close();
  return { hookIds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2] ?? '.bench/executions.db';
  const count = Number(process.argv[3] ?? 1_000_000);
  const started = Date.now();
  seedExecutions(path, count, 'hg_bench_token_0123456789abcdef');
  console.log(`seeded ${count} executions into ${path} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
