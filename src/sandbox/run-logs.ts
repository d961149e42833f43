/**
 * Console lines of one run as the host keeps them: the per-run caps are enforced here, on the
 * host, whatever the isolate claims, and each kept line reaches `onLog` as soon as it arrives.
 */
import type { LogLevel, LogLine } from './types.ts';

const LEVELS: ReadonlySet<string> = new Set(['LOG', 'INFO', 'WARN', 'ERROR', 'DEBUG']);

export class RunLogs {
  readonly lines: LogLine[] = [];
  truncated = false;
  /** Lines that came in from the isolate, kept or not: compared with the count the isolate reports. */
  received = 0;

  private readonly maxLines: number;
  private readonly maxLineBytes: number;
  private readonly onLog: ((line: LogLine) => void) | undefined;

  constructor(maxLines: number, maxLineBytes: number, onLog: ((line: LogLine) => void) | undefined) {
    this.maxLines = maxLines;
    this.maxLineBytes = maxLineBytes;
    this.onLog = onLog;
  }

  /** A line written by the hook. */
  addFromHook(level: unknown, message: unknown): void {
    this.received++;
    this.add(typeof level === 'string' && LEVELS.has(level) ? (level as LogLevel) : 'LOG', String(message));
  }

  /** A line the sandbox itself writes into the run's log (not counted as received from the hook). */
  add(level: LogLevel, message: string): void {
    if (this.lines.length >= this.maxLines) {
      this.truncated = true;
      // One marker line, right where the cut happened.
      if (this.lines.length === this.maxLines) {
        this.push('WARN', `[hookgate] log limit reached: a run keeps at most ${this.maxLines} console lines; later lines were dropped`);
      }
      return;
    }
    if (message.length > this.maxLineBytes / 3 && Buffer.byteLength(message) > this.maxLineBytes) {
      this.truncated = true;
      message = `${cutUtf8(message, this.maxLineBytes)}… [hookgate: line cut at ${this.maxLineBytes} bytes]`;
    }
    this.push(level, message);
  }

  private push(level: LogLevel, message: string): void {
    const line: LogLine = { level, message, time: Date.now() };
    this.lines.push(line);
    if (this.onLog) {
      try {
        this.onLog(line);
      } catch {
        // A failing listener must not fail the run or the sandbox.
      }
    }
  }
}

function cutUtf8(text: string, maxBytes: number): string {
  const cut = new TextDecoder().decode(Buffer.from(text).subarray(0, maxBytes));
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}
