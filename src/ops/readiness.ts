import type { Db } from '../db/client.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { ReadinessReport } from '../plugins/use-readiness.ts';

const PROBE_HOOK = 'exports.handler = async () => "ready"';
const PROBE_TIMEOUT_MS = 2000;

/** What `/ready` checks: not stopping, the database takes a write, the sandbox runs a trivial hook. */
export function createReadinessCheck(parts: { db: Db; sandbox: Sandbox; draining: () => boolean }) {
  function databaseWritable(): { ok: boolean; message?: string } {
    const sqlite = parts.db.$client;
    try {
      // A write taken back at once: the lock and the journal work. A savepoint nests inside an
      // open group commit as well as standing alone.
      sqlite.exec('SAVEPOINT ready_probe');
      try {
        sqlite.exec('CREATE TABLE ready_probe (x)');
      } finally {
        sqlite.exec('ROLLBACK TO ready_probe; RELEASE ready_probe');
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, message: `database not writable: ${(error as Error).message}` };
    }
  }

  async function sandboxRuns(): Promise<{ ok: boolean; message?: string }> {
    const probe = parts.sandbox.run({ cacheKey: 'hookgate:ready-probe', script: PROBE_HOOK, args: [{}], env: {}, timeoutMs: PROBE_TIMEOUT_MS });
    let timer: NodeJS.Timeout | undefined;
    // A probe waiting for a slot behind busy runs: the sandbox cannot take work now.
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PROBE_TIMEOUT_MS + 1000)));
    const result = await Promise.race([probe, late]).finally(() => clearTimeout(timer));
    if (!result) return { ok: false, message: 'sandbox probe did not get a slot in time' };
    if (result.status === 'SUCCEEDED' && result.response === 'ready') return { ok: true };
    return { ok: false, message: `sandbox probe ended ${result.status}${result.error ? `: ${result.error.name}` : ''}` };
  }

  return async function check(): Promise<ReadinessReport> {
    if (parts.draining()) return { ready: false, checks: { draining: { ok: false, message: 'the service is stopping' } } };
    const checks = { draining: { ok: true }, database: databaseWritable(), sandbox: await sandboxRuns() };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  };
}
