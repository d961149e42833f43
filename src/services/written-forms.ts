/**
 * The forms a secret value takes in text a hook or the platform writes, for the redactor
 * (services/redact.ts) to look for.
 */

/**
 * A value as it is; JSON-escaped once (`%j`, `JSON.stringify`) and twice (JSON inside JSON);
 * quoted by the sandbox's console (`'it\'s'`), of the value and of its JSON form; and
 * percent-encoded in a URL (see `urlForms`). Forms may repeat: the caller keeps each once.
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
