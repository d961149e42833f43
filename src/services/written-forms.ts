/**
 * The forms a secret value takes in text a hook or the platform writes, for the redactor
 * (services/redact.ts) to look for.
 */

/**
 * A value as it is; JSON-escaped once (`%j`, `JSON.stringify`) and twice (JSON inside JSON);
 * quoted by the sandbox's console (`'it\'s'`), of the value and of its JSON form;
 * and percent-encoded in a URL (see `urlForms`). Forms may repeat: the caller keeps each once.
 * Base64 forms are apart (`base64Forms`).
 */
export function writtenForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const forms = [value, json, JSON.stringify(json).slice(1, -1), consoleQuoted(value), consoleQuoted(json)];
  for (const encoded of urlForms(value)) {
    forms.push(encoded);
    // encodeURI and encodeURIComponent leave `'` as it is: the console escapes it.
    if (encoded.includes("'")) forms.push(consoleQuoted(encoded));
  }
  return forms;
}

/**
 * Values of fewer bytes are not looked for in base64: the part of their encoding that depends on
 * them alone (about 4 characters for 3 bytes, less 2) would be too short to tell from chance.
 */
export const MIN_BASE64_BYTES = 6;

/** Base64 as `encodeURIComponent` and `URLSearchParams` write it in a URL (`+`, `/`, `=` escaped). */
function percentEncoded(base64: string): string {
  return base64.replaceAll('+', '%2B').replaceAll('/', '%2F').replaceAll('=', '%3D');
}

const ASCII_ONLY = /^[\u0000-\u007f]*$/;
const LATIN1_ONLY = /^[\u0000-\u00ff]*$/;

/**
 * A value base64-encoded (`btoa`, `Buffer#toString('base64')`, standard, URL-safe, and standard
 * percent-encoded in a URL), alone or
 * with other bytes before and after it: HTTP Basic credentials (`user:pass`), a JSON document, a
 * token. Its encoding depends on where it falls in the groups of three bytes, so for each of the
 * three alignments: the characters that depend on its bytes alone. Left around a masked one are at
 * most a character at each end (a few bits of its first and last byte) and the padding; the value
 * encoded alone is a form of its own, masked whole. Bytes are UTF-8 (`Buffer`), and Latin-1 too
 * for a value that `btoa` takes as it is; and the same of its JSON-escaped form, when it differs.
 */
export function base64Forms(value: string): string[] {
  // As it stands in an encoded JSON document, a value JSON escapes is escaped.
  const json = JSON.stringify(value).slice(1, -1);
  return json === value ? encodedForms(value) : [...encodedForms(value), ...encodedForms(json)];
}

/** The base64 forms of a text as it is (see base64Forms). */
function encodedForms(value: string): string[] {
  const forms: string[] = [];
  if (value.length < MIN_BASE64_BYTES / 3) return forms;
  const encodings = ['utf8'] as BufferEncoding[];
  if (LATIN1_ONLY.test(value) && !ASCII_ONLY.test(value)) encodings.push('latin1');
  for (const encoding of encodings) {
    // Two zero bytes, then the value's: the value at each alignment is a view from offset 2, 1 or 0.
    const n = Buffer.byteLength(value, encoding);
    if (n < MIN_BASE64_BYTES) continue;
    // From Node's pool (a Buffer of its own is a costly allocation): its first two bytes zeroed.
    const padded = Buffer.allocUnsafe(n + 2).fill(0, 0, 2);
    padded.write(value, 2, encoding);
    const alone = padded.subarray(2);
    const whole = alone.toString('base64');
    forms.push(whole, alone.toString('base64url'));
    for (let offset = 0; offset < 3; offset++) {
      const encoded = padded.subarray(2 - offset).toString('base64');
      // Characters of 6 bits each: those whose bits all come from the value's bytes.
      const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + n)) / 6));
      forms.push(core);
      if (/[+/]/.test(core)) forms.push(core.replaceAll('+', '-').replaceAll('/', '_'), percentEncoded(core));
    }
    if (/[+/=]/.test(whole)) forms.push(percentEncoded(whole));
  }
  return forms;
}

/**
 * A short value (too short to mask wherever it occurs in text) as a whole quoted string: a JSON
 * string (`"77"`), one inside JSON (`\"77\"`) and a string as the console prints it (`'77'`).
 * `margin` is the length of the quotes at each end, which are not masked.
 */
export function quotedForms(value: string): { form: string; margin: number }[] {
  const json = JSON.stringify(value);
  return [
    { form: json, margin: 1 },
    { form: JSON.stringify(json).slice(1, -1), margin: 2 },
    { form: `'${consoleQuoted(value)}'`, margin: 1 },
  ];
}

/** The escapes of the sandbox console's string quoting (sandbox/runtime/inspect.ts). */
function consoleQuoted(text: string): string {
  return text.replace(/['\\\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`));
}

/** What URLSearchParams escapes (WHATWG URL, application/x-www-form-urlencoded) beyond encodeURIComponent. */
const FORM_ESCAPED = /[!'()~]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A value percent-encoded in a URL: by `encodeURIComponent`; by `encodeURI`; in a query as the
 * sandbox's URLSearchParams writes it (encodeURIComponent's escapes, a space as `+`) and as the
 * WHATWG URL standard has it (Node's, and standard polyfills bundled into a hook: `!'()~` escaped
 * too); and in a URL the sandbox's URL class parsed (only spaces escaped, as `%20`).
 */
function urlForms(value: string): string[] {
  const forms = [value.replaceAll(' ', '%20')];
  let component: string;
  try {
    component = encodeURIComponent(value);
    forms.push(encodeURI(value));
  } catch {
    // A lone surrogate has no percent-encoding; URLSearchParams writes it as U+FFFD.
    component = encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));
  }
  const form = component.replaceAll('%20', '+');
  forms.push(component, form, form.replace(FORM_ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  return forms;
}
