import { href } from '../router.ts';
import type { ApiError } from '../types.ts';

/** A ScriptSyntaxError's message without the place it ends with (shown apart). */
export const syntaxMessage = (error: ApiError) => error.message.replace(/ \(line \d+, column \d+\)$/, '');

/** Where a typed error puts a mark in the script, if it has a place (a ScriptSyntaxError). */
export function markerOf(error: ApiError): { line: number; column: number; message: string } | null {
  return error.line ? { line: error.line, column: error.column ?? 1, message: syntaxMessage(error) } : null;
}

/** A typed API error in words, with what to do about it where the error says. */
export function ErrorMessage({ error }: { error: ApiError | null | undefined }) {
  if (!error) return null;
  if (error.__typename === 'EnabledHookLimitError') {
    return (
      <div role="alert" class="error">
        <p>
          Trigger <code>{error.triggerId}</code> runs at most {error.limit} enabled hook{error.limit === 1 ? '' : 's'} at a time, and{' '}
          <a href={href('hooks', error.enabledHookId!, 'editor')}>{error.enabledHookName}</a> is enabled. Disable it first, then enable this
          one. (One enabled hook per trigger keeps the pipeline's outcome unambiguous.)
        </p>
      </div>
    );
  }
  if (error.__typename === 'ScriptSyntaxError') {
    return (
      <div role="alert" class="error">
        <p>
          Syntax error at line {error.line}, column {error.column}: {syntaxMessage(error)}
        </p>
      </div>
    );
  }
  return (
    <div role="alert" class="error">
      <p>{error.message}</p>
    </div>
  );
}

/** JSON shown as text, or a dash for none. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre class="json" aria-label={label} tabIndex={0}>
      {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
    </pre>
  );
}
