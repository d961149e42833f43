/**
 * The messages between the service and its sandbox processes, over the IPC channel of
 * `child_process.fork` (JSON). One description for both sides: the host (`sandbox-process.ts`)
 * and the child (`child/main.ts`) import these types and nothing else of each other.
 */
import type { SandboxOptions } from './options.ts';
import type { LogLine, RunRequest, RunResult } from './types.ts';

/** What of a run crosses into the sandbox process: data only, no callbacks. */
export type ProcessRunRequest = Pick<RunRequest, 'tenantId' | 'cacheKey' | 'script' | 'args' | 'env' | 'timeoutMs'>;

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
  /** Sent every `processGraceMs / 4`: the process's own thread is alive (hook code never runs on it). */
  | { t: 'beat' }
  | { t: 'log'; id: number; line: LogLine }
  | { t: 'result'; id: number; result: RunResult }
  /** An isolate thread is lost for good (catastrophic error, a call that would not stop): replace this process. */
  | { t: 'wedged'; message: string };

export function toProcessRequest(request: RunRequest): ProcessRunRequest {
  const { tenantId, cacheKey, script, args, env, timeoutMs } = request;
  return { tenantId, cacheKey, script, args, env, timeoutMs };
}
