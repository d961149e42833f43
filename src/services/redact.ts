/**
 * Keeps passwords and secret values out of what is stored and shown: execution payloads,
 * responses, errors and console lines. A secret is known by its value, and masked in every form a
 * hook or the platform can write it in (services/written-forms.ts), whole or cut short at a clip.
 *
 * Every method costs time linear in its input, times the number of forms masked (each secret's
 * forms are few and the secrets of a run are bounded): nothing here is quadratic in what a tenant
 * sends, since it runs on the service's main thread.
 */

import { ShortPatternSearch, spansOfFew } from './multi-search.ts';
import { secretText, setOwn } from '../triggers/json.ts';
import { base64Forms, quotedForms, writtenForms } from './written-forms.ts';

export const REDACTED = '[REDACTED]';

/** Keys whose values are never stored: `password`, `newPassword`, `password_hash`… */
const SENSITIVE_KEY = /passw(or)?d/i;

/**
 * Secret values short enough to occur by chance in ordinary text are not masked inside it: masking a
 * two-letter value would garble every line. The end user's are masked where they stand whole (see
 * `shortValues` and `quotedForms`): a one-time code or a password is a credential however short.
 * The tenant's are not masked at all: "eu" or "1" in an env var is configuration, and masking it
 * whole would change what the pipeline receives (a user named "eu" saved as "[REDACTED]"). The
 * start of any masked value left at a cut is masked however short.
 */
const MIN_MASKED_LENGTH = 3;

/**
 * Where a number stands as a whole value in JSON or in the console's printing of an object
 * (`{"code":77}`, `{ code: 77 }`, `[ 77 ]`): after `:`, `[` or `,`, and before `,`, `}` or `]`,
 * with spaces and newlines between. As a string in the same place, it would be quoted (`"77"`).
 * What comes before is matched and kept (`$1`), not looked behind for: a look-behind over a run of
 * spaces would be tried again at each of them, quadratic in a line of spaces.
 */
const NUMBER_BEFORE = '([:[,][ \\t\\n]*)';
const NUMBER_AFTER = '(?=[ \\t\\n]*[,}\\]])';

/** How the sandbox ends a line it cut (see sandbox/run-logs.ts). */
const CUT_MARKER_START = '… [hookgate: line cut at';

/** How the sandbox ends an error text it clipped at 4,096 characters (sandbox/runtime/settle.ts). */
const CLIP_MARKER = '…';
const CLIPPED_LENGTH = 4096 + CLIP_MARKER.length;

/**
 * Characters compared, per cut text, to find exactly which secret start it ends with (the sum over
 * the forms of what each is compared over). Past it (more than a hundred forms of long secrets),
 * the end of the cut text is masked as far as a secret could reach into it: a little more is
 * masked, and a cut line never costs the main thread more than about a millisecond.
 */
const MAX_EXACT_CUT_WORK = 200_000;

/**
 * Forms up to this long are found all at once (services/multi-search.ts); longer ones one by one
 * with V8's string search, which skips ahead by about their length.
 */
const SHORT_FORM = 64;

/**
 * Up to this many short forms (a run with a secret or two, the common case), they are found with
 * V8's string search one by one, and the automaton is built only for a text that holds more than
 * FEW_MATCHES of them: building and walking it cost more than those searches (most texts hold none).
 */
const FEW_SHORT_FORMS = 16;
const FEW_MATCHES = 256;

/** Up to this many base64 forms (those of four or five values), each is looked for by itself (see the constructor). */
const FEW_BASE64_FORMS = 24;

/** Sensitive values of a payload: those under a password-like key, at any depth (a number as its text). */
export function passwordValues(value: unknown, into: string[] = []): string[] {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object') continue;
    for (const [key, child] of Object.entries(item)) {
      const text = SENSITIVE_KEY.test(key) ? secretText(child) : undefined;
      if (text !== undefined) into.push(text);
      else stack.push(child);
    }
  }
  return into;
}

/** Adds a value's written forms to `forms`, and its base64 forms to `encoded`. */
function addForms(value: string, forms: Set<string>, encoded: Set<string>): void {
  for (const form of writtenForms(value)) forms.add(form);
  for (const form of base64Forms(value)) encoded.add(form);
}

function longestFirst(a: string, b: string): number {
  return b.length - a.length;
}

export class Redactor {
  /** Every written form of every value but the base64 ones, longest first (a form that contains another is masked whole). */
  private readonly forms: string[];
  /** Forms found one by one and masked whole: the long ones, and the base64 ones. */
  private readonly longForms: string[];
  /** The short forms, then the quoted forms of short values (see `quotedForms`). */
  private readonly shortForms: string[];
  /** For each of `shortForms`: the length of the quotes at each end, which stay (0: none). */
  private readonly shortMargins: number[];
  /** Built when a text first holds many short forms, or there are many (see FEW_SHORT_FORMS). */
  private shortSearch: ShortPatternSearch | null = null;
  /**
   * What the end of a cut text is compared with: every form but the base64 ones, and every quoted
   * form of a short value, with the least length of a start of it that is masked (one character of
   * the value).
   */
  private readonly cutForms: { form: string; least: number }[];
  private readonly longestCutForm: number;
  /**
   * Every written form of the end user's values too short to mask in text: masked where one is a
   * whole string of a JSON value or a whole console line.
   */
  private readonly shortValues = new Set<string>();
  /** The end user's values that are a number's text: a number of a JSON value equal to one is masked. */
  private readonly numberValues = new Set<string>();
  /** The short ones of `numberValues` where they stand as a number in text (see NUMBER_BEFORE); null: none. */
  private readonly shortNumbers: RegExp | null;
  /** Joins the texts of a JSON value for masking in one pass per form: in none of the forms. */
  private readonly separator: string;

  /**
   * `tenantValues`: the hook's secrets and env vars, masked from three characters on.
   * `endUserValues`: the payload's passwords and the trigger's sensitive values (a one-time code),
   * masked however short, and as a number too.
   */
  constructor(tenantValues: Iterable<string>, endUserValues: Iterable<string> = []) {
    const forms = new Set<string>();
    // The base64 forms, apart: see below how they are looked for.
    const encoded = new Set<string>();
    const quoted = new Map<string, number>();
    const shortNumbers: string[] = [];
    for (const value of new Set(tenantValues)) if (value.length >= MIN_MASKED_LENGTH) addForms(value, forms, encoded);
    for (const value of new Set(endUserValues)) {
      // An empty value hides nothing, and would mask every empty string.
      if (value === '') continue;
      const isNumber = String(Number(value)) === value;
      if (isNumber) this.numberValues.add(value);
      if (value.length >= MIN_MASKED_LENGTH) {
        addForms(value, forms, encoded);
        continue;
      }
      // Digits and a minus sign (`-1`): nothing to escape in a pattern.
      if (isNumber) shortNumbers.push(value);
      for (const form of writtenForms(value)) this.shortValues.add(form);
      for (const { form, margin } of quotedForms(value)) quoted.set(form, Math.min(margin, quoted.get(form) ?? margin));
    }
    this.shortNumbers = shortNumbers.length === 0 ? null : new RegExp(`${NUMBER_BEFORE}(?:${shortNumbers.join('|')})${NUMBER_AFTER}`, 'g');
    // A quoted form that is also a form of a longer value is masked whole, quotes and all.
    for (const form of forms) quoted.delete(form);
    for (const form of forms) encoded.delete(form);
    this.forms = [...forms].sort(longestFirst);
    // Base64 forms are as distinctive as long ones. A few (a password, a secret or two) are found one
    // by one like those, and the automaton of short forms stays as small as without them. Of many (a
    // hook with a hundred secrets), the short ones go in the automaton, so that a text is read once
    // for them all; long ones are found one by one, as other long forms are (V8's search skips ahead
    // by about their length: cutting them into pieces for the automaton made it cost more to build,
    // for every run, than the searches it saved).
    const oneByOne = encoded.size <= FEW_BASE64_FORMS;
    const longForms: string[] = [];
    const shortForms: string[] = [];
    for (const form of forms) (form.length > SHORT_FORM ? longForms : shortForms).push(form);
    for (const form of encoded) (oneByOne || form.length > SHORT_FORM ? longForms : shortForms).push(form);
    this.longForms = longForms.sort(longestFirst);
    shortForms.sort(longestFirst);
    this.shortForms = [...shortForms, ...quoted.keys()];
    this.shortMargins = [...shortForms.map(() => 0), ...quoted.values()];
    // Not the base64 ones: a start of one at a cut is a few characters of a longer encoding, and
    // their length (4/3 of the value's) would make the exact search give way sooner.
    this.cutForms = [...this.forms.map((form) => ({ form, least: 1 })), ...[...quoted].map(([form, margin]) => ({ form, least: margin + 1 }))];
    this.longestCutForm = this.cutForms.reduce((longest, { form }) => Math.max(longest, form.length), 0);
    let code = 0;
    while (this.cutForms.some(({ form }) => form.includes(String.fromCharCode(code)))) code++;
    this.separator = String.fromCharCode(code);
  }

  /**
   * A string with every form of every secret value replaced: the long forms first, each one whole,
   * then every span the short ones cover (overlapping ones as one).
   */
  text(value: string): string {
    let out = value;
    for (const form of this.longForms) if (form.length <= out.length && out.includes(form)) out = out.split(form).join(REDACTED);
    const spans = this.shortSpans(out);
    if (spans.length > 0) {
      let masked = '';
      let from = 0;
      for (const [start, end] of spans) {
        masked += out.slice(from, start) + REDACTED;
        from = end;
      }
      out = masked + out.slice(from);
    }
    return this.shortNumbers === null ? out : out.replace(this.shortNumbers, `$1${REDACTED}`);
  }

  private shortSpans(text: string): [number, number][] {
    const forms = this.shortForms;
    if (forms.length === 0) return [];
    if (forms.length <= FEW_SHORT_FORMS) {
      const spans = spansOfFew(text, forms, this.shortMargins, FEW_MATCHES);
      if (spans !== null) return spans;
    }
    this.shortSearch ??= new ShortPatternSearch(forms, this.shortMargins);
    return this.shortSearch.spans(text);
  }

  /**
   * A console line with every secret value replaced, including the start of a value left at the
   * end of a line the sandbox cut at its size cap (`…` then hookgate's marker). A line that is
   * nothing but a short value (`console.log(code)`) is masked whole.
   */
  line(message: string): string {
    if (this.shortValues.has(message)) return REDACTED;
    const masked = this.text(message);
    const cut = masked.lastIndexOf(CUT_MARKER_START);
    if (cut < 0) return masked;
    return this.maskCutEnd(masked.slice(0, cut)) + masked.slice(cut);
  }

  /**
   * A deep copy of a JSON value with sensitive keys and secret values replaced, and every key or
   * string that is a short value, whole (`{"code":"77"}`). A string as the sandbox clips an error
   * text (4,096 characters and `…`) also loses the start of a secret left at its end.
   *
   * Its keys and strings are masked together, joined into one text: each form is looked for once in
   * the whole value (V8's string search, linear), where looking for each form in each string cost
   * the number of strings times the number of forms (600 ms for a 250 KB response of short strings
   * against 150 secrets with quotes).
   */
  json(value: unknown): unknown {
    const texts: string[] = [];
    collectTexts(value, texts);
    const masked = texts.length === 0 || (this.cutForms.length === 0 && this.shortNumbers === null) ? texts : this.textsMasked(texts);
    if (this.shortValues.size > 0) for (let i = 0; i < texts.length; i++) if (this.shortValues.has(texts[i]!)) masked[i] = REDACTED;
    return this.rebuild(value, masked, { at: 0 });
  }

  /**
   * Texts masked in one pass, joined by the separator. No form holds it, so no form found spans two
   * texts; a text that holds it (a hook's own `\u0000`) goes in as its pieces between separators,
   * joined again after, as a form found in it lies within one piece. Taken as one text, it shifted
   * every key and string after it.
   */
  private textsMasked(texts: string[]): string[] {
    const separator = this.separator;
    if (!texts.some((text) => text.includes(separator))) return this.text(texts.join(separator)).split(separator);
    const pieces = texts.map((text) => text.split(separator));
    const masked = this.text(pieces.flat().join(separator)).split(separator);
    let at = 0;
    return pieces.map(({ length }) => masked.slice(at, (at += length)).join(separator));
  }

  /**
   * A copy of a JSON value with its keys and strings taken, in order, from `masked` (from `cursor.at`
   * on), a string as the sandbox clips an error text losing a cut secret's start too, and every
   * number whose text is an end user's value masked.
   */
  private rebuild(value: unknown, masked: string[], cursor: { at: number }): unknown {
    if (typeof value === 'string') return this.clipped(value, masked[cursor.at++]!);
    if (typeof value === 'number') return this.numberValues.size > 0 && this.numberValues.has(String(value)) ? REDACTED : value;
    if (Array.isArray(value)) return value.map((item) => this.rebuild(item, masked, cursor));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        const maskedKey = masked[cursor.at++]!;
        // A `__proto__` key from JSON.parse stays a plain key (setOwn).
        setOwn(out, maskedKey, isSensitive(key, item) ? REDACTED : this.rebuild(item, masked, cursor));
      }
      return out;
    }
    return value;
  }

  /** A masked string as it was clipped (see json) with a cut secret's start masked too. */
  private clipped(original: string, masked: string): string {
    if (original.length !== CLIPPED_LENGTH || !masked.endsWith(CLIP_MARKER)) return masked;
    return this.maskCutEnd(masked.slice(0, -CLIP_MARKER.length)) + CLIP_MARKER;
  }

  /**
   * `head` with the longest start of any secret form that it ends with (a cut secret) masked, however
   * short: the rest of the secret is gone, so the start is not a chance match in ordinary text.
   */
  private maskCutEnd(head: string): string {
    let work = 0;
    for (const { form } of this.cutForms) work += Math.min(form.length, head.length);
    let longest = 0;
    if (work <= MAX_EXACT_CUT_WORK) {
      for (const { form, least } of this.cutForms) {
        const length = overhang(head, form);
        if (length >= least && length > longest) longest = length;
      }
    } else {
      // As far as the longest secret could reach (MAX_EXACT_CUT_WORK).
      longest = Math.min(head.length, this.longestCutForm - 1);
    }
    return longest > 0 ? head.slice(0, head.length - longest) + REDACTED : head;
  }
}

/** Whether a key's value is replaced whole (a password): `passwd` is the shortest such key. */
function isSensitive(key: string, item: unknown): boolean {
  return key.length >= 6 && item !== null && item !== undefined && SENSITIVE_KEY.test(key);
}

/** Every key and string of a JSON value, in the order `rebuild` visits them. */
function collectTexts(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectTexts(item, into);
  else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      into.push(key);
      if (!isSensitive(key, item)) collectTexts(item, into);
    }
  }
}

/**
 * The length of the longest proper start of `pattern` that `text` ends with, by Knuth–Morris–Pratt
 * over at most `pattern.length` characters of each: linear, where trying every length was
 * quadratic (450 ms a line for 10,000-character secrets).
 */
export function overhang(text: string, pattern: string): number {
  const m = Math.min(pattern.length - 1, text.length);
  if (m <= 0) return 0;
  // fallback[i]: length of the longest proper border of pattern[0..i].
  const fallback = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && pattern.charCodeAt(i) !== pattern.charCodeAt(k)) k = fallback[k - 1]!;
    if (pattern.charCodeAt(i) === pattern.charCodeAt(k)) k++;
    fallback[i] = k;
  }
  let k = 0;
  for (let i = text.length - m; i < text.length; i++) {
    if (k === m) k = fallback[k - 1]!;
    const c = text.charCodeAt(i);
    while (k > 0 && c !== pattern.charCodeAt(k)) k = fallback[k - 1]!;
    if (c === pattern.charCodeAt(k)) k++;
  }
  return k;
}
