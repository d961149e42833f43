/**
 * The CommonJS-like wrapper hook scripts run in, and the mapping from positions in the wrapped
 * source back to the hook's own lines and columns.
 */

/** The name V8 reports in stack traces and syntax errors for hook code. */
export const HOOK_FILENAME = 'file:///hook.js';

// The prefix shares line 1 with the script, as Node's own CommonJS wrapper does, so line numbers
// need no adjustment; only columns on line 1 are shifted by the prefix length.
const PREFIX = '(function (exports, require, module, __filename, __dirname) {';
// The newline keeps a trailing `// comment` on the last line from swallowing the closing brace.
const SUFFIX = '\n})';

export function wrapScript(script: string): string {
  return PREFIX + script + SUFFIX;
}

export interface ScriptPosition {
  line: number;
  column: number;
}

/** Maps a 1-based line/column in the wrapped source to the hook's own coordinates. */
export function toScriptPosition(line: number, column: number): ScriptPosition {
  return { line, column: line === 1 ? Math.max(1, column - PREFIX.length) : column };
}

/** The number of characters the wrapper adds before the script on line 1 (for the runtime). */
export const WRAPPER_COLUMN_OFFSET = PREFIX.length;
