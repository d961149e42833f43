/**
 * Built-ins captured before any hook code runs (Deno's and Node's "primordials"). Hook code shares
 * the context's globals and prototypes, so the runtime's own critical paths (settling a run,
 * serializing the response, the outbox) use these captured functions and null-prototype records
 * instead of whatever the hook may have overwritten. Tampering then only garbles the tampering
 * hook's own output. Every other runtime module imports from here, so this module runs first.
 */

/** A method taken off its prototype: `uncurry(String.prototype.slice)(text, 0, 3)` is `text.slice(0, 3)`. */
type Uncurried<F> = F extends (...args: infer A) => infer R ? (self: unknown, ...args: A) => R : never;

const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <F extends (...args: never[]) => unknown>(method: F) => Uncurried<F>;

export const ReflectApply = Reflect.apply;
export const JSONStringify = JSON.stringify;
export const JSONParse = JSON.parse;
export const ObjectFreeze = Object.freeze;
export const ObjectKeys = Object.keys;
export const ObjectCreate = Object.create;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectSetPrototypeOf = Object.setPrototypeOf;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
export const ObjectPrototypeToString = uncurry(Object.prototype.toString);
export const ArrayIsArray = Array.isArray;
export const ArrayPrototypeJoin = uncurry(Array.prototype.join);
export const StringCtor = String;
export const NumberCtor = Number;
export const StringFromCharCode = String.fromCharCode;
export const StringPrototypeSlice = uncurry(String.prototype.slice);
export const StringPrototypeIndexOf = uncurry(String.prototype.indexOf);
export const StringPrototypeCharCodeAt = uncurry(String.prototype.charCodeAt);
export const StringPrototypeReplace = uncurry(
  String.prototype.replace as (pattern: RegExp, replacement: string | ((match: string) => string)) => string,
);
export const StringPrototypeToLowerCase = uncurry(String.prototype.toLowerCase);
export const StringPrototypeSplit = uncurry(String.prototype.split as (separator: string) => string[]);
export const RegExpPrototypeExec = uncurry(RegExp.prototype.exec);
export const RegExpPrototypeTest = uncurry(RegExp.prototype.test);
export const FunctionPrototypeToString = uncurry(Function.prototype.toString);
export const PromiseCtor = Promise;
export const PromiseResolve = Promise.resolve.bind(Promise) as { (): Promise<void>; <T>(value: T): Promise<Awaited<T>> };
export const PromisePrototypeThen = uncurry(Promise.prototype.then) as <T, R1 = T, R2 = never>(
  promise: Promise<T>,
  onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | undefined,
  onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | undefined,
) => Promise<R1 | R2>;
export const MapCtor = Map;
export const MapPrototypeGet = uncurry(Map.prototype.get);
export const MapPrototypeSet = uncurry(Map.prototype.set);
export const MapPrototypeHas = uncurry(Map.prototype.has);
export const MapPrototypeDelete = uncurry(Map.prototype.delete);
export const ErrorCtor = Error;
export const TypeErrorCtor = TypeError;
export const RangeErrorCtor = RangeError;
export const SymbolIterator = Symbol.iterator;
export const DatePrototypeToISOString = uncurry(Date.prototype.toISOString);
export const DatePrototypeGetTime = uncurry(Date.prototype.getTime);
export const MathFloor = Math.floor;
export const Uint8ArrayCtor = Uint8Array;
export const ArrayBufferCtor = ArrayBuffer;
export const ArrayBufferIsView = ArrayBuffer.isView;
const TypedArrayPrototype: object = ObjectGetPrototypeOf(Uint8Array.prototype);
export const TypedArrayLength = uncurry(ObjectGetOwnPropertyDescriptor(TypedArrayPrototype, 'length')!.get!) as (array: ArrayBufferView) => number;
export const globalObject = globalThis;

/** Appends without Array.prototype.push and without [[Set]] walking a tampered prototype chain. */
export function append<T>(array: T[], value: T): void {
  ObjectDefineProperty(array, array.length, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
}

export function safeString(value: unknown): string {
  try {
    return StringCtor(value);
  } catch {
    return '[unprintable]';
  }
}
