/**
 * How a run ends, in the contract's words: reading the isolate's outbox, and turning timeouts,
 * disposed isolates and other failures of a call into the isolate into settlements.
 */
import type { Outbox } from './runtime-protocol.ts';
import type { LogLine, RunError, RunResult, RunStatus } from './types.ts';

export interface Settlement {
  status: RunStatus;
  response?: unknown;
  error?: RunError | null;
  /** The isolate died of a catastrophic error (see RunResult.isolateLost). */
  isolateLost?: boolean;
  /** Cut off by a crash of what it ran in, not by anything of its own (see RunResult.ended). */
  crashed?: boolean;
}

const TIMED_OUT_MESSAGE = 'Script execution timed out.';

/** The outbox, or null when the runtime answered with something unreadable. */
export function parseOutbox(out: unknown): Outbox | null {
  if (typeof out !== 'string') return null;
  try {
    const parsed = JSON.parse(out) as Outbox;
    return parsed !== null && typeof parsed === 'object' && Array.isArray(parsed.msgs) ? parsed : null;
  } catch {
    return null;
  }
}

/** Whether a JSON value nests objects and arrays deeper than `max` levels (iterative: any depth is safe). */
export function exceedsDepth(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const item of Object.values(current as object)) {
      if (item !== null && typeof item === 'object') stack.push([item, depth + 1]);
    }
  }
  return false;
}

/** The result of a run that ended before any of its code ran. */
export function notStartedResult(error: RunError): RunResult {
  return { status: 'FAILED', error, logs: [], logsTruncated: false, durationMs: 0, cpuTimeMs: 0, ended: 'NOT_STARTED' };
}

/** The result of a run refused because the service or its sandbox is stopping (RunResult.stopping). */
export function stoppingResult(error: RunError): RunResult {
  return { ...notStartedResult(error), stopping: true };
}

/** The result of a run handed to a sandbox (engine, process, seam) after it was shut down. */
export function disposedResult(): RunResult {
  return stoppingResult({ name: 'SandboxDisposed', message: 'The sandbox was shut down before the run started' });
}

/** The result of a run cut off by the loss of its sandbox process (or by the shutdown). */
export function crashedResult(name: 'SandboxCrashed' | 'SandboxDisposed', message: string): RunResult {
  return { status: 'FAILED', error: { name, message }, logs: [], logsTruncated: false, durationMs: 0, cpuTimeMs: 0, ended: 'CRASHED' };
}

/** The end of a run cut off by a crash of its isolate or process (another run's doing, or the shutdown). */
export function crashSettlement(name: 'SandboxCrashed' | 'SandboxDisposed', message: string): Settlement {
  return { status: 'FAILED', error: { name, message }, crashed: true };
}

export function sandboxFailure(message: string): Settlement {
  return { status: 'FAILED', error: { name: 'SandboxError', message } };
}

export interface TimeoutContext {
  timeoutMs: number;
  /** The hook was still executing (rather than waiting for something). */
  busy: boolean;
  style: string;
  pendingFetches: number;
}

export function timeoutSettlement({ timeoutMs, busy, style, pendingFetches }: TimeoutContext): Settlement {
  const limit = `its timeout of ${timeoutMs} ms`;
  let message: string;
  if (busy) message = `The hook was still running when it reached ${limit} (an endless loop?)`;
  else if (style === 'callback') message = `The callback was never called: the hook did not call cb(…) within ${limit}`;
  else if (style === 'promise') message = `The handler's promise did not settle within ${limit}`;
  else message = `The hook did not finish within ${limit}`;
  if (!busy && pendingFetches > 0) message += ` (${pendingFetches} fetch still pending)`;
  return { status: 'TIMED_OUT', error: { name: 'TimeoutError', message } };
}

/**
 * A call into the isolate failed. `isolateDisposed` tells an exhausted heap or a kill apart from
 * a timeout of a live isolate and from internal errors.
 */
export function entryFailure(error: unknown, isolateDisposed: boolean, memoryLimitMb: number, timeout: TimeoutContext): Settlement {
  const message = error instanceof Error ? error.message : String(error);
  if (isolateDisposed && /memory limit/i.test(message)) {
    return { status: 'MEMORY_LIMIT_EXCEEDED', error: { name: 'MemoryLimitExceeded', message: `The hook used more than the ${memoryLimitMb} MB memory limit` } };
  }
  if (isolateDisposed || message === TIMED_OUT_MESSAGE) return timeoutSettlement({ ...timeout, busy: true });
  return sandboxFailure(`The sandbox failed to run the hook: ${message}`);
}

/** isolated-vm reported a catastrophic error of the run's isolate (its call into the isolate never returns). */
export function catastropheSettlement(message: string, memoryLimitMb: number): Settlement {
  if (/out.of.memory/i.test(message)) {
    return {
      status: 'MEMORY_LIMIT_EXCEEDED',
      error: { name: 'MemoryLimitExceeded', message: `The hook used more than the ${memoryLimitMb} MB memory limit` },
      isolateLost: true,
    };
  }
  return { ...sandboxFailure(`The sandbox failed to run the hook: ${message}`), isolateLost: true };
}

/** The runtime's error record, with its types checked (the isolate is not trusted). */
export function normalizeError(error: RunError | undefined): RunError {
  if (error === undefined || error === null || typeof error !== 'object') return { name: 'Error', message: 'The hook failed' };
  return {
    name: typeof error.name === 'string' ? error.name : 'Error',
    message: typeof error.message === 'string' ? error.message : '',
    userMessage: typeof error.userMessage === 'string' ? error.userMessage : null,
    line: typeof error.line === 'number' ? error.line : null,
    column: typeof error.column === 'number' ? error.column : null,
  };
}

/** What the runtime's `done` message with response `r` settles: checked again here, whatever the isolate claims. */
export function answerSettlement(r: unknown, maxResponseDepth: number): Settlement {
  // The runtime already refuses deep responses.
  if (exceedsDepth(r, maxResponseDepth)) {
    return { status: 'FAILED', error: { name: 'ResponseTooDeep', message: `The response nests objects and arrays more than ${maxResponseDepth} levels deep` } };
  }
  return { status: 'SUCCEEDED', response: r === undefined ? null : r };
}

/** The contract's result of a run that ended with `settlement`. */
export function settledResult(settlement: Settlement, logs: { lines: LogLine[]; truncated: boolean }, durationMs: number, cpuTimeMs: number): RunResult {
  const result: RunResult = {
    status: settlement.status,
    response: settlement.response,
    error: settlement.error ?? null,
    logs: logs.lines,
    logsTruncated: logs.truncated,
    durationMs,
    cpuTimeMs,
    ended: settlement.crashed ? 'CRASHED' : 'RAN',
  };
  if (settlement.status !== 'SUCCEEDED') delete result.response;
  if (settlement.isolateLost) result.isolateLost = true;
  return result;
}
