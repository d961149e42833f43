/**
 * The contract between the execution service and the isolated-vm sandbox.
 * Everything that crosses it is plain JSON data: no functions, no handles.
 */

export type RunStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'MEMORY_LIMIT_EXCEEDED';

export type LogLevel = 'LOG' | 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

export interface LogLine {
  level: LogLevel;
  message: string;
  /** Milliseconds since the epoch, taken on the host when the line was written. */
  time: number;
}

export interface RunError {
  /** The error's class name as the hook saw it: `Error`, `TypeError`, `PreUserRegistrationError`, `TimeoutError`… */
  name: string;
  message: string;
  /** The message meant for the end user (PreUserRegistrationError's second argument). */
  userMessage?: string | null;
  /** 1-based line in the hook's script where the error was thrown, when known. */
  line?: number | null;
  column?: number | null;
}

export interface RunRequest {
  /**
   * Whose run this is: the unit of fairness and isolation. A tenant's runs share its isolate and
   * its cap on CPU slots. Without one, each script (`cacheKey`) is a tenant of its own.
   */
  tenantId?: string;
  /**
   * Identifies the compiled script: the hook version id, or a content hash for a draft.
   * Runs with the same key may reuse the same context (module state survives between runs,
   * as it did in webtask containers).
   */
  cacheKey: string;
  script: string;
  /**
   * The handler's arguments, JSON values, copied into the isolate.
   * Auth0 callback style (`module.exports = function (…args, cb)`) receives them positionally
   * followed by the callback; OneLogin style (`exports.handler = async (context)`) receives args[0].
   */
  args: unknown[];
  /**
   * The hook's prebuilt packages (src/packages/): a script whose completion value answers the
   * hook's `require` for the npm packages and Node modules it bundles. Evaluated once per context,
   * before the hook's top level; `cacheKey` must change when the bundle does.
   */
  bundle?: RunBundle;
  /** `process.env` inside the sandbox for this run (OneLogin env vars and the hook's secrets). */
  env: Record<string, string>;
  /** Wall-clock limit of the run, enforced by a host-side watchdog. */
  timeoutMs: number;
  /** Called for each console line as it is written, while the run is still going. */
  onLog?: (line: LogLine) => void;
  /**
   * Asked right before the run is handed to a sandbox process, before any of its code runs: an
   * error ends the run there, FAILED with that error and `ended: 'NOT_STARTED'` (runs waiting for a
   * process, e.g. while one is replaced, can be refused meanwhile).
   */
  mayStart?: () => RunError | null;
  /**
   * Called the moment the run wedges its isolate (see RunResult.isolateLost), before its sandbox
   * process is replaced: the caller can refuse further runs before one of them starts.
   */
  onIsolateLost?: () => void;
}

export interface RunBundle {
  /** Content hash of `source`. */
  hash: string;
  source: string;
}

/**
 * How a run ended as the engine saw it: it `RAN` (whatever its status), was `NOT_STARTED` (refused
 * by `mayStart`, or the sandbox was shut down first: `stopping`), or was `CRASHED`: cut off, error
 * `SandboxCrashed` (or `SandboxDisposed` at shutdown), by the replacement of its sandbox process or
 * isolate because of another run. Callers branch on this, never on error names.
 */
export type RunEnding = 'RAN' | 'NOT_STARTED' | 'CRASHED';

export interface RunResult {
  status: RunStatus;
  ended: RunEnding;
  /** The JSON value the hook returned (or passed to its callback); undefined on failure. */
  response?: unknown;
  error?: RunError | null;
  logs: LogLine[];
  /** True when lines were dropped or cut because of the per-run caps. */
  logsTruncated: boolean;
  durationMs: number;
  cpuTimeMs: number;
  /**
   * The run wedged its isolate beyond recovery (a catastrophic out-of-memory, a script that failed
   * to terminate): its sandbox process was replaced, cutting off the runs of others in it. Callers
   * should stop such a hook from running again soon (see services/quarantine.ts).
   */
  isolateLost?: boolean;
  /** The service stopped while the run went on (src/ops/sandbox-seam.ts): final, never retried. */
  interrupted?: boolean;
  /**
   * With `ended: 'NOT_STARTED'`: refused because the service or its sandbox is stopping, not
   * because of anything of the hook's. It never ran; it may run at the next start.
   */
  stopping?: boolean;
}

export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
}

export interface Sandbox {
  run(request: RunRequest): Promise<RunResult>;
  /** Compiles the script without running it, off the main thread; null when it compiles. */
  checkSyntax(script: string): Promise<SyntaxProblem | null>;
  /** Waits until no run is under way or waiting (new runs still start), at most `timeoutMs`. */
  drain?(timeoutMs: number): Promise<void>;
  /** Stops every sandbox process; pending runs end as FAILED (`SandboxDisposed`). */
  dispose(): Promise<void>;
}
