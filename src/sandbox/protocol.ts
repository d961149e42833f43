/**
 * The messages between the service and its sandbox processes, over the IPC channel of
 * `child_process.fork` (JSON), each write an array of them (`message-batch.ts`: one write per turn
 * of the event loop). One description for both sides: the host (`sandbox-process.ts`) and the child
 * (`child/main.ts`) import these types and nothing else of each other.
 */
import type { SandboxOptions } from './options.ts';
import type { LogLine, RunRequest, RunResult } from './types.ts';

/**
 * What of a run crosses into the sandbox process: data only, no callbacks. A packages bundle
 * (megabytes) crosses once per process while it stays among the last `BUNDLES_KEPT` used: after
 * that, `bundle` carries only its hash (see BundleRecency).
 */
export type ProcessRunRequest = Pick<RunRequest, 'tenantId' | 'cacheKey' | 'script' | 'args' | 'env' | 'timeoutMs'> & {
  bundle?: { hash: string; source?: string };
};

/** Service → sandbox process. */
export type HostMessage =
  /** First message: the process builds its engine from these options. */
  | { t: 'init'; options: SandboxOptions }
  | { t: 'run'; id: number; request: ProcessRunRequest }
  /** Stop: cancel what runs, dispose the isolates, exit. */
  | { t: 'stop' };

/** Sandbox process → service. */
export type ChildMessage =
  | { t: 'ready' }
  /**
   * Sent every `processGraceMs / 4`: the process's own thread is alive (hook code never runs on
   * it). `rss`: its resident memory in bytes; a beat comes early when that passes `processRssRetireMb`.
   */
  | { t: 'beat'; isolates?: number; rss?: number }
  | { t: 'log'; id: number; line: LogLine }
  /** `lingers`: the run answered but its fetches go on; its log lines may follow until `end`. */
  | { t: 'result'; id: number; result: RunResult; lingers?: boolean }
  /** A lingering run's fetches are done or cut: no more log lines for `id`. */
  | { t: 'end'; id: number }
  /** An isolate thread is lost for good (catastrophic error, a call that would not stop): replace this process. */
  | { t: 'wedged'; message: string };

/** Bundles whose source each side keeps, by hash. */
export const BUNDLES_KEPT = 16;

/**
 * The bundle hashes used most recently, in the same order on both sides: the host and the child
 * `touch` each run's bundle hash in the order of the run messages (IPC keeps it), so both know
 * without asking whether the child still holds a bundle's source.
 */
export class BundleRecency {
  private readonly hashes = new Set<string>();

  /** Marks `hash` most recently used; true when it was already among the kept ones. `evicted` hears those dropped. */
  touch(hash: string, evicted?: (hash: string) => void): boolean {
    const known = this.hashes.delete(hash);
    this.hashes.add(hash);
    for (const oldest of this.hashes) {
      if (this.hashes.size <= BUNDLES_KEPT) break;
      this.hashes.delete(oldest);
      evicted?.(oldest);
    }
    return known;
  }
}

export function toProcessRequest(request: RunRequest, bundles: BundleRecency): ProcessRunRequest {
  const { tenantId, cacheKey, script, args, env, timeoutMs, bundle } = request;
  const sent: ProcessRunRequest = { tenantId, cacheKey, script, args, env, timeoutMs };
  if (bundle !== undefined) sent.bundle = bundles.touch(bundle.hash) ? { hash: bundle.hash } : { hash: bundle.hash, source: bundle.source };
  return sent;
}
