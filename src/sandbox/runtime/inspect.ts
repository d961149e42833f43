/**
 * Console argument formatting, close to Node's util.inspect with `breakLength: Infinity` so that an
 * object always prints as one readable line (`{ user: { id: 1, email: 'a@b.c' } }`). Getters are
 * shown, not invoked, as Node does.
 */
import { limits } from './host-bindings.ts';
import {
  append,
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypeJoin,
  DatePrototypeGetTime,
  DatePrototypeToISOString,
  ErrorCtor,
  FunctionPrototypeToString,
  JSONStringify,
  MathFloor,
  NumberCtor,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototypeToString,
  RegExpPrototypeTest,
  safeString,
  StringCtor,
  StringPrototypeIndexOf,
  StringPrototypeReplace,
  StringPrototypeSlice,
  TypedArrayLength,
} from './intrinsics.ts';

const INSPECT_DEPTH = 2;
const INSPECT_MAX_ITEMS = 100;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object of the hook's, read by key. */
type Bag = Record<PropertyKey, unknown>;

function quote(text: string): string {
  return "'" + StringPrototypeReplace(text, /['\\\n\r\t]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : '\\' + c) + "'";
}

// Quoting escapes the whole string: a nested string of megabytes is cut first (Node's util.inspect
// stops at maxStringLength too), or formatting alone would spend the hook's time. The line is cut
// at maxLogLineBytes anyway.
function quoteCapped(text: string): string {
  const max = limits.maxLogLineBytes;
  if (text.length <= max) return quote(text);
  const more = text.length - max;
  return quote(StringPrototypeSlice(text, 0, max)) + '... ' + more + ' more character' + (more > 1 ? 's' : '');
}

function formatKey(key: string | symbol): string {
  if (typeof key === 'symbol') return '[' + safeString(key) + ']';
  return RegExpPrototypeTest(IDENTIFIER, key) ? key : quoteCapped(key);
}

function constructorName(value: object): string | null {
  try {
    let proto = ObjectGetPrototypeOf(value);
    if (proto === null) return null;
    const descriptor = ObjectGetOwnPropertyDescriptor(proto, 'constructor');
    const ctor = descriptor && descriptor.value;
    return typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
  } catch { return ''; }
}

function inspectPrimitive(value: unknown, nested: boolean): string | undefined {
  switch (typeof value) {
    case 'string': return nested ? quoteCapped(value) : value;
    case 'number': return value === 0 && 1 / value < 0 ? '-0' : StringCtor(value);
    case 'bigint': return StringCtor(value) + 'n';
    case 'symbol': return safeString(value);
    case 'undefined': return 'undefined';
    case 'boolean': return value ? 'true' : 'false';
  }
  return value === null ? 'null' : undefined;
}

function inspectFunction(fn: Function): string {
  let name = '';
  try { name = typeof fn.name === 'string' ? fn.name : ''; } catch {}
  let source = '';
  try { source = FunctionPrototypeToString(fn); } catch {}
  if (StringPrototypeSlice(source, 0, 6) === 'class ' || source === 'class') return '[class ' + (name || '(anonymous)') + ']';
  return name ? '[Function: ' + name + ']' : '[Function (anonymous)]';
}

export function inspectValue(value: unknown, depth: number, seen: unknown[], nested: boolean): string {
  const primitive = inspectPrimitive(value, nested);
  if (primitive !== undefined) return primitive;
  if (typeof value === 'function') return inspectFunction(value);
  const object = value as Bag;
  if (seen.indexOf(object) !== -1) return '[Circular]';
  const tag = ObjectPrototypeToString(object);
  if (tag === '[object Error]' || object instanceof ErrorCtor) {
    let stack;
    try { stack = object.stack; } catch {}
    if (typeof stack === 'string' && stack) return nested ? '[' + stack + ']' : stack;
    return '[' + safeString(object) + ']';
  }
  if (tag === '[object Date]') {
    const time = DatePrototypeGetTime(object);
    return time === time ? DatePrototypeToISOString(object) : 'Invalid Date';
  }
  if (tag === '[object RegExp]') return safeString(object);
  if (tag === '[object Promise]') return 'Promise { <unknown> }';
  const name = constructorName(object);
  const isArray = ArrayIsArray(object);
  if (depth > INSPECT_DEPTH) {
    const empty = isArray ? object.length === 0 : ObjectKeys(object).length === 0;
    if (isArray) return empty ? '[]' : '[Array]';
    return empty && (name === 'Object' || name === null) ? '{}' : '[' + (name || 'Object') + ']';
  }
  seen[seen.length] = object;
  try {
    if (isArray) return inspectList(object.length, (i) => object[i], depth, seen, '', '[', ']', object);
    if (ArrayBufferIsView(object) && tag !== '[object DataView]') {
      const length = TypedArrayLength(object);
      return inspectList(length, (i) => (object as Bag)[i], depth, seen, name + '(' + length + ') ', '[', ']', null);
    }
    if (tag === '[object Map]') {
      const map = object as unknown as Map<unknown, unknown>;
      const parts: string[] = [];
      for (const [k, v] of map) {
        if (parts.length >= INSPECT_MAX_ITEMS) { append(parts, '...'); break; }
        append(parts, inspectValue(k, depth + 1, seen, true) + ' => ' + inspectValue(v, depth + 1, seen, true));
      }
      return 'Map(' + map.size + ') ' + braces(parts, '{', '}');
    }
    if (tag === '[object Set]') {
      const set = object as unknown as Set<unknown>;
      const parts: string[] = [];
      for (const v of set) {
        if (parts.length >= INSPECT_MAX_ITEMS) { append(parts, '...'); break; }
        append(parts, inspectValue(v, depth + 1, seen, true));
      }
      return 'Set(' + set.size + ') ' + braces(parts, '{', '}');
    }
    const parts: string[] = [];
    appendProperties(parts, object, depth, seen, null);
    const prefix = name === null ? '[Object: null prototype] ' : name && name !== 'Object' ? name + ' ' : '';
    return prefix + braces(parts, '{', '}');
  } finally {
    seen.length = seen.length - 1;
  }
}

function inspectList(
  length: number,
  at: (i: number) => unknown,
  depth: number,
  seen: unknown[],
  prefix: string,
  open: string,
  close: string,
  extraKeysOf: Bag | null,
): string {
  const parts: string[] = [];
  const shown = length < INSPECT_MAX_ITEMS ? length : INSPECT_MAX_ITEMS;
  for (let i = 0; i < shown; i++) append(parts, inspectValue(at(i), depth + 1, seen, true));
  if (length > shown) append(parts, '... ' + (length - shown) + ' more item' + (length - shown > 1 ? 's' : ''));
  if (extraKeysOf !== null) appendProperties(parts, extraKeysOf, depth, seen, length);
  return prefix + braces(parts, open, close);
}

function appendProperties(parts: string[], value: Bag, depth: number, seen: unknown[], arrayLength: number | null): void {
  const keys: (string | symbol)[] = ObjectKeys(value);
  const symbols = ObjectGetOwnPropertySymbols(value);
  for (let i = 0; i < symbols.length; i++) append(keys, symbols[i]);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (arrayLength !== null && typeof key === 'string' && RegExpPrototypeTest(/^(0|[1-9][0-9]*)$/, key) && NumberCtor(key) < arrayLength) continue;
    if (parts.length >= INSPECT_MAX_ITEMS) { append(parts, '...'); break; }
    const descriptor = ObjectGetOwnPropertyDescriptor(value, key);
    if (!descriptor || (typeof key === 'symbol' && !descriptor.enumerable)) continue;
    let shown;
    if (descriptor.get || descriptor.set) shown = descriptor.get && descriptor.set ? '[Getter/Setter]' : descriptor.get ? '[Getter]' : '[Setter]';
    else shown = inspectValue(descriptor.value, depth + 1, seen, true);
    append(parts, formatKey(key) + ': ' + shown);
  }
}

function braces(parts: string[], open: string, close: string): string {
  return parts.length === 0 ? open + close : open + ' ' + ArrayPrototypeJoin(parts, ', ') + ' ' + close;
}

export function inspect(value: unknown): string {
  return inspectValue(value, 0, [], true);
}

// console.log's printf-like first argument (%s %d %i %f %j %o %O %c %%), then the rest joined by spaces.
// Each piece is cut to just past the line limit before it is joined, and formatting stops once the
// line is long enough: joining megabyte strings and cutting the result would copy them all.
export function formatLogArguments(args: unknown[]): string {
  const cap = limits.maxLogLineBytes + 1;
  const capped = (text: string) => (text.length > cap ? StringPrototypeSlice(text, 0, cap) : text);
  let out = '';
  let next = 0;
  const first = args[0];
  if (typeof first === 'string' && args.length > 1 && StringPrototypeIndexOf(first, '%') !== -1) {
    next = 1;
    out = StringPrototypeReplace(first, /%[sdifjoOc%]/g, (spec) => {
      if (spec === '%%') return '%';
      if (next >= args.length) return spec;
      const arg = args[next++];
      switch (spec) {
        case '%s': return capped(typeof arg === 'string' ? arg : inspectValue(arg, 1, [], true));
        case '%d': case '%i': return typeof arg === 'bigint' ? capped(StringCtor(arg)) + 'n' : StringCtor(spec === '%i' ? MathFloor(NumberCtor(arg)) : NumberCtor(arg));
        case '%f': return StringCtor(NumberCtor(arg));
        case '%j': try { return capped(JSONStringify(arg)); } catch { return '[Circular]'; }
        case '%c': return '';
        default: return capped(inspectValue(arg, 0, [], true));
      }
    });
  } else if (args.length > 0) {
    out = capped(inspectValue(first, 0, [], false));
    next = 1;
  }
  for (let i = next; i < args.length && out.length <= cap; i++) out = out + ' ' + capped(inspectValue(args[i], 0, [], false));
  return out;
}
