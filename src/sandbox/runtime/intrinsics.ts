/**
 * In-isolate source: built-ins captured before any hook code runs. Hook code shares the context's
 * globals and prototypes, so the runtime's own critical paths (settling a run, serializing the
 * response, the outbox) use these captured functions and null-prototype records instead of whatever
 * the hook may have overwritten. Tampering then only garbles the tampering hook's own output.
 */
export const intrinsicsSource = String.raw`
const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const ReflectApply = Reflect.apply;
const JSONStringify = JSON.stringify;
const JSONParse = JSON.parse;
const ObjectFreeze = Object.freeze;
const ObjectKeys = Object.keys;
const ObjectCreate = Object.create;
const ObjectDefineProperty = Object.defineProperty;
const ObjectSetPrototypeOf = Object.setPrototypeOf;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
const ObjectPrototypeToString = uncurry(Object.prototype.toString);
const ObjectPrototype = Object.prototype;
const ArrayIsArray = Array.isArray;
const ArrayPrototypePush = uncurry(Array.prototype.push);
const ArrayPrototypeJoin = uncurry(Array.prototype.join);
const StringCtor = String;
const NumberCtor = Number;
const StringFromCharCode = String.fromCharCode;
const StringPrototypeSlice = uncurry(String.prototype.slice);
const StringPrototypeIndexOf = uncurry(String.prototype.indexOf);
const StringPrototypeCharCodeAt = uncurry(String.prototype.charCodeAt);
const StringPrototypeReplace = uncurry(String.prototype.replace);
const StringPrototypeToLowerCase = uncurry(String.prototype.toLowerCase);
const StringPrototypeSplit = uncurry(String.prototype.split);
const RegExpPrototypeExec = uncurry(RegExp.prototype.exec);
const RegExpPrototypeTest = uncurry(RegExp.prototype.test);
const FunctionPrototypeToString = uncurry(Function.prototype.toString);
const PromiseCtor = Promise;
const PromiseResolve = Promise.resolve.bind(Promise);
const PromisePrototypeThen = uncurry(Promise.prototype.then);
const MapCtor = Map;
const MapPrototypeGet = uncurry(Map.prototype.get);
const MapPrototypeSet = uncurry(Map.prototype.set);
const MapPrototypeHas = uncurry(Map.prototype.has);
const MapPrototypeDelete = uncurry(Map.prototype.delete);
const MapPrototypeClear = uncurry(Map.prototype.clear);
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const RangeErrorCtor = RangeError;
const SymbolCtor = Symbol;
const SymbolIterator = Symbol.iterator;
const SymbolToStringTag = Symbol.toStringTag;
const DateNow = Date.now;
const DatePrototypeToISOString = uncurry(Date.prototype.toISOString);
const DatePrototypeGetTime = uncurry(Date.prototype.getTime);
const MathFloor = Math.floor;
const Uint8ArrayCtor = Uint8Array;
const ArrayBufferCtor = ArrayBuffer;
const ArrayBufferIsView = ArrayBuffer.isView;
const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const TypedArrayLength = uncurry(ObjectGetOwnPropertyDescriptor(TypedArrayPrototype, 'length').get);
const globalObject = globalThis;

// Appends without Array.prototype.push and without [[Set]] walking a tampered prototype chain.
function append(array, value) {
  ObjectDefineProperty(array, array.length, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
}

function safeString(value) {
  try { return StringCtor(value); } catch { return '[unprintable]'; }
}
`;
