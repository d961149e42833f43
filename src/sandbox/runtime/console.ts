/** The hook's `console`: each line is formatted here and posted to the host at once. */
import { limits, postLog } from './host-bindings.ts';
import { ObjectFreeze, safeString, StringPrototypeSlice } from './intrinsics.ts';
import { formatLogArguments } from './inspect.ts';
import { currentRun } from './run-state.ts';

export type LogLevel = 'LOG' | 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

export function writeLog(level: LogLevel, args: unknown[]): void {
  const run = currentRun;
  if (run === null || run.logCount > limits.maxLogLines) return;
  let message;
  try { message = formatLogArguments(args); } catch (error) { message = '[console formatting failed: ' + safeString(error) + ']'; }
  // The host cuts lines to the exact byte limit and adds the marker; this only avoids copying megabytes.
  if (message.length > limits.maxLogLineBytes + 1) message = StringPrototypeSlice(message, 0, limits.maxLogLineBytes + 1);
  run.logCount++;
  postLog(run.token, level, message);
}

export const console = ObjectFreeze({
  log(...args: unknown[]) { writeLog('LOG', args); },
  info(...args: unknown[]) { writeLog('INFO', args); },
  warn(...args: unknown[]) { writeLog('WARN', args); },
  error(...args: unknown[]) { writeLog('ERROR', args); },
  debug(...args: unknown[]) { writeLog('DEBUG', args); },
  trace(...args: unknown[]) { writeLog('DEBUG', args); },
});
