/**
 * Compiles hook scripts for real, with the same wrapper they run in, and reports syntax errors in
 * the script's own coordinates. A small dedicated isolate keeps this off the run pool, and off the
 * main thread.
 */
import ivm from 'isolated-vm';
import type { SyntaxProblem } from './types.ts';
import { HOOK_FILENAME, toScriptPosition, wrapScript } from './wrapper.ts';

// isolated-vm appends the position to V8's message: "Unexpected token ';' [file:///hook.js:2:13]".
const POSITION_SUFFIX = / \[file:\/\/\/hook\.js:(\d+):(\d+)\]$/;

export interface CompileProblem extends SyntaxProblem {
  name: string;
}

/** Reads a compile error thrown by isolated-vm; null when it is not one (e.g. the isolate died). */
export function parseCompileError(error: unknown): CompileProblem | null {
  if (!(error instanceof Error) || typeof error.message !== 'string') return null;
  const match = POSITION_SUFFIX.exec(error.message);
  if (match === null) return error.name === 'SyntaxError' ? { name: 'SyntaxError', message: error.message, line: 1, column: 1 } : null;
  const position = toScriptPosition(Number(match[1]), Number(match[2]));
  return { name: error.name || 'SyntaxError', message: error.message.slice(0, match.index), ...position };
}

/**
 * Parses a text as a function body on its own, as the Function constructor does, without running
 * it: the message of the SyntaxError, or null.
 */
const BODY_CHECK = `(function (source) {
  try {
    Function('exports', 'require', 'module', '__filename', '__dirname', source);
    return null;
  } catch (error) {
    return error instanceof RangeError ? 'nested too deep' : String(error && error.message);
  }
})`;

/** Longest a check may take; legitimate scripts of 100 KB compile in milliseconds. */
export const SYNTAX_CHECK_DEADLINE_MS = 3_000;

/** Isolates kept between checks. */
const MAX_IDLE_ISOLATES = 2;

/**
 * Checks run on isolated-vm's own threads (its asynchronous calls), never on the service's main
 * thread: compiling is work proportional to what a tenant sends, and V8 spends seconds on some
 * scripts (thousands of `/[^\p{L}--\p{Lu}]/vi` literals). Each check has an isolate to itself, so
 * a script slow to compile holds up no other check, and is dropped at its deadline alone; isolates
 * of checks that ended in time are kept for the next ones (making one costs the main thread 4 ms).
 */
export class SyntaxChecker {
  private readonly checking = new Set<ivm.Isolate>();
  private readonly idle: ivm.Isolate[] = [];

  private readonly deadlineMs: number;

  // No parameter property: the sandbox child process imports this module under Node's own type
  // stripping, which supports only erasable syntax.
  constructor(deadlineMs = SYNTAX_CHECK_DEADLINE_MS) {
    this.deadlineMs = deadlineMs;
  }

  async check(script: string): Promise<SyntaxProblem | null> {
    const isolate = this.idle.pop() ?? new ivm.Isolate({ memoryLimit: 32 });
    this.checking.add(isolate);
    let inTime = false;
    const checked = compileIn(isolate, script);
    // Past the deadline the isolate is disposed under the compile, which then fails unobserved.
    checked.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = overDeadline(isolate, this.deadlineMs, () => resolve('late'))));
    try {
      const result = await Promise.race([checked, deadline]);
      if (result !== 'late') {
        inTime = true;
        return result;
      }
      return { message: `The script takes longer than ${this.deadlineMs / 1000} s to compile`, line: 1, column: 1 };
    } catch (error) {
      // The isolate died under the check (its memory limit): that script is what killed it.
      if (isolate.isDisposed) return { message: 'The script needs more memory to compile than a hook may use', line: 1, column: 1 };
      throw error;
    } finally {
      clearInterval(timer);
      this.checking.delete(isolate);
      if (inTime && this.idle.length < MAX_IDLE_ISOLATES && (await roomyHeap(isolate))) this.idle.push(isolate);
      // A compile past its deadline keeps its thread until V8 is done with it; its isolate goes now.
      else if (!isolate.isDisposed) isolate.dispose();
    }
  }

  dispose(): void {
    for (const isolate of [...this.checking, ...this.idle]) if (!isolate.isDisposed) isolate.dispose();
    this.checking.clear();
    this.idle.length = 0;
  }
}

/**
 * Calls `late` once the check has used `deadlineMs` of its isolate's CPU time, or ten times that
 * of wall time: on a loaded machine a check waits for a core, and that waiting is not the script's.
 */
function overDeadline(isolate: ivm.Isolate, deadlineMs: number, late: () => void): NodeJS.Timeout {
  const started = performance.now();
  const cpuBefore = isolate.cpuTime; // an isolate kept from earlier checks has spent some already
  const timer = setInterval(() => {
    let cpuMs = Infinity;
    try {
      cpuMs = Number(isolate.cpuTime - cpuBefore) / 1e6;
    } catch {
      // Disposed: the check is ending anyway.
    }
    if (cpuMs >= deadlineMs || performance.now() - started >= 10 * deadlineMs) {
      clearInterval(timer);
      late();
    }
  }, Math.min(100, deadlineMs));
  return timer;
}

/** Whether an isolate is alive with less than half of its heap in use: fit to check more scripts. */
async function roomyHeap(isolate: ivm.Isolate): Promise<boolean> {
  if (isolate.isDisposed) return false;
  try {
    const { used_heap_size, heap_size_limit } = await isolate.getHeapStatistics();
    return used_heap_size < heap_size_limit / 2;
  } catch {
    return false;
  }
}

async function compileIn(isolate: ivm.Isolate, script: string): Promise<SyntaxProblem | null> {
  try {
    (await isolate.compileScript(wrapScript(script), { filename: HOOK_FILENAME })).release();
  } catch (error) {
    const problem = compileProblem(script, error);
    return problem.pastEnd ? ((await problemAlone(isolate, script)) ?? problem.found) : problem.found;
  }
  // The script is pasted into the wrapper it runs in: one that closes it early (`}); …; (function () {`)
  // compiles there too, with code outside the module function. As a body on its own it does not.
  const outside = await bodyProblem(isolate, script);
  if (outside === null) return null;
  if (outside === NESTED_TOO_DEEP) return { message: NESTED_TOO_DEEP_MESSAGE, line: 1, column: 1 };
  // V8 says "Single function literal required", which means little to the author.
  return { message: 'A hook script is the body of a function, and this one closes that function early (check its braces)', line: 1, column: 1 };
}

/**
 * V8 stumbled on the wrapper's closing `})`, past the script: the script ended too early (an
 * unclosed brace, a dangling `module.exports =`), or closed the wrapper's function itself (a brace
 * too many). Compiled alone, as a script, it says which and where. Null when that tells nothing
 * (it compiles alone, or fails on what only a function body allows, such as a top-level return).
 */
async function problemAlone(isolate: ivm.Isolate, script: string): Promise<SyntaxProblem | null> {
  try {
    (await isolate.compileScript(script, { filename: ALONE_FILENAME })).release();
    return null;
  } catch (error) {
    const match = error instanceof Error ? ALONE_POSITION.exec(error.message) : null;
    if (match === null) return null;
    const message = error instanceof Error ? error.message.slice(0, match.index) : '';
    if (message === 'Unexpected end of input') return { message, ...endOf(script) };
    return message.startsWith('Unexpected token') ? { message, line: Number(match[1]), column: Number(match[2]) } : null;
  }
}

const ALONE_FILENAME = 'file:///hook-alone.js';
const ALONE_POSITION = / \[file:\/\/\/hook-alone\.js:(\d+):(\d+)\]$/;

/** Just after a script's last character. */
function endOf(script: string): { line: number; column: number } {
  const lines = script.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** V8's message for the script parsed as a function body on its own (BODY_CHECK), or null when it parses. */
async function bodyProblem(isolate: ivm.Isolate, script: string): Promise<string | null> {
  const context = await isolate.createContext();
  let bodyCheck: ivm.Reference<(source: string) => string | null> | undefined;
  try {
    bodyCheck = (await context.eval(BODY_CHECK, { reference: true })) as ivm.Reference<(source: string) => string | null>;
    return await bodyCheck.apply(undefined, [script], { timeout: SYNTAX_CHECK_DEADLINE_MS });
  } finally {
    // The isolate serves later checks: nothing of this one stays in it.
    bodyCheck?.release();
    context.release();
  }
}

const NESTED_TOO_DEEP = 'nested too deep';
const NESTED_TOO_DEEP_MESSAGE = 'The script nests too deeply to compile (brackets, parentheses or expressions inside one another)';

/**
 * A compile failure as the author's problem. V8's parser recurses per level of nesting: a script
 * nested tens of thousands deep ends it with a RangeError, which is still the script's fault.
 */
function compileProblem(script: string, error: unknown): { found: SyntaxProblem; pastEnd: boolean } {
  if (error instanceof RangeError) return { found: { message: NESTED_TOO_DEEP_MESSAGE, line: 1, column: 1 }, pastEnd: false };
  const problem = parseCompileError(error);
  if (problem === null) throw error;
  const end = endOf(script);
  const pastEnd = problem.line > end.line || (problem.line === end.line && problem.column >= end.column);
  if (!pastEnd) return { found: { message: problem.message, line: problem.line, column: problem.column }, pastEnd };
  return { found: { message: problem.message, ...end }, pastEnd };
}
