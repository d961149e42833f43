/**
 * Compiles hook scripts for real, with the same wrapper they run in, and reports syntax errors in
 * the script's own coordinates. A small dedicated isolate keeps this off the run pool.
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
    return String(error && error.message);
  }
})`;

export class SyntaxChecker {
  private isolate: ivm.Isolate | null = null;
  private bodyCheck: ivm.Reference<(source: string) => string | null> | null = null;

  check(script: string): SyntaxProblem | null {
    if (this.isolate === null || this.isolate.isDisposed) {
      this.isolate = new ivm.Isolate({ memoryLimit: 32 });
      this.bodyCheck = this.isolate.createContextSync().evalSync(BODY_CHECK, { reference: true }) as typeof this.bodyCheck;
    }
    try {
      this.isolate.compileScriptSync(wrapScript(script), { filename: HOOK_FILENAME }).release();
    } catch (error) {
      const problem = parseCompileError(error);
      if (problem === null) throw error;
      return { message: problem.message, ...withinScript(script, problem) };
    }
    // The script is pasted into the wrapper it runs in: one that closes it early (`}); …; (function () {`)
    // compiles there too, with code outside the module function. As a body on its own it does not.
    const outside = this.bodyCheck!.applySync(undefined, [script], { timeout: 5_000 });
    if (outside !== null) {
      // V8 says "Single function literal required", which means little to the author.
      return { message: 'A hook script is the body of a function, and this one closes that function early (check its braces)', line: 1, column: 1 };
    }
    return null;
  }

  dispose(): void {
    if (this.isolate !== null && !this.isolate.isDisposed) this.isolate.dispose();
    this.isolate = null;
    this.bodyCheck = null;
  }
}

/**
 * "Unexpected end of input" is reported on the wrapper's closing line, past the script: the
 * author's last line (just after its end) is where the problem is.
 */
function withinScript(script: string, position: { line: number; column: number }) {
  const lines = script.split('\n');
  if (position.line <= lines.length) return { line: position.line, column: position.column };
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
