/**
 * Keeps passwords and secret values out of what is stored and shown: execution payloads,
 * responses, errors and console lines.
 */

export const REDACTED = '[REDACTED]';

/** Keys whose values are never stored: `password`, `newPassword`, `password_hash`… */
const SENSITIVE_KEY = /passw(or)?d/i;

/**
 * Secret values short enough to occur by chance in ordinary text are not masked: masking a
 * two-letter value would garble every line without protecting anything.
 */
const MIN_MASKED_LENGTH = 3;

/** How the sandbox ends a line it cut (see sandbox/run-logs.ts). */
const CUT_MARKER_START = '… [hookgate: line cut at';

export class Redactor {
  private readonly values: string[];

  constructor(secretValues: Iterable<string>) {
    // Longest first, so a secret that contains another is masked whole.
    this.values = [...new Set(secretValues)].filter((v) => v.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
  }

  /** A string with every secret value replaced. */
  text(value: string): string {
    let out = value;
    for (const secret of this.values) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /**
   * A console line with every secret value replaced, including the start of a value left at the
   * end of a line the sandbox cut at its size cap (`…` then hookgate's marker).
   */
  line(message: string): string {
    const masked = this.text(message);
    const cut = masked.lastIndexOf(CUT_MARKER_START);
    if (cut < 0) return masked;
    const head = masked.slice(0, cut);
    for (const secret of this.values) {
      for (let length = secret.length - 1; length >= MIN_MASKED_LENGTH; length--) {
        if (head.endsWith(secret.slice(0, length))) return head.slice(0, head.length - length) + REDACTED + masked.slice(cut);
      }
    }
    return masked;
  }

  /** A deep copy of a JSON value with sensitive keys and secret values replaced. */
  json(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.json(item));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        // defineProperty, not assignment: a `__proto__` key from JSON.parse stays a plain key.
        Object.defineProperty(out, this.text(key), {
          value: SENSITIVE_KEY.test(key) && item !== null && item !== undefined ? REDACTED : this.json(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return value;
  }
}
