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
   * Asked when the run gets its isolate, before any of its code runs: an error ends the run there,
   * FAILED with that error (runs waiting for an isolate can be refused meanwhile).
   */
  mayStart?: () => RunError | null;
  /**
   * Called the moment the run wedges its isolate (see RunResult.isolateLost), before the pool
   * starts anything else: the caller can refuse further runs before one of them gets an isolate.
   */
  onIsolateLost?: () => void;
}

export interface RunBundle {
  /** Content hash of `source`. */
  hash: string;
  source: string;
}

export interface RunResult {
  status: RunStatus;
  /** The JSON value the hook returned (or passed to its callback); undefined on failure. */
  response?: unknown;
  error?: RunError | null;
  logs: LogLine[];
  /** True when lines were dropped or cut because of the per-run caps. */
  logsTruncated: boolean;
  durationMs: number;
  cpuTimeMs: number;
  /**
   * The run wedged its isolate beyond recovery (a catastrophic out-of-memory): the isolate's thread
   * and heap, tens of megabytes, are never given back to the process. Callers should stop such a
   * hook from running again soon (see services/quarantine.ts).
   */
  isolateLost?: boolean;
  /** The service stopped while the run went on (src/ops/sandbox-seam.ts): final, never retried. */
  interrupted?: boolean;
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
  /** Disposes every isolate; pending runs end as FAILED. */
  dispose(): Promise<void>;
}
