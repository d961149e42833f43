/**
 * Helpers for the JSON values that cross the sandbox boundary. Contracts run on whatever a hook
 * returned, so nothing here trusts the shape of its input or throws on it.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): JsonRecord {
  return isRecord(value) ? value : {};
}

/**
 * Sets an own property. Plain assignment of a key named `__proto__` (which JSON can carry) would
 * change the object's prototype instead of storing the value: that one key is defined. Any other
 * is assigned, which is the same on a plain object (its prototype has no other setter) and costs a
 * fraction of defining it (every key of every payload a run copies goes through here).
 */
export function setOwn(target: JsonRecord, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Deep copy of the JSON part of a value. Functions, symbols, bigints, `undefined` and circular
 * references are left out (as `null` inside arrays, like `JSON.stringify`).
 */
export function cloneJson(value: unknown, ancestors: Set<object> = new Set()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object' || ancestors.has(value)) return undefined;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => cloneJson(item, ancestors) ?? null);
    const copy: JsonRecord = {};
    for (const [key, item] of Object.entries(value)) {
      const cloned = cloneJson(item, ancestors);
      if (cloned !== undefined) setOwn(copy, key, cloned);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

/** The value at a path of keys, or undefined where the path leaves the objects. */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Dotted warning path: `joinPath('user.app_metadata', '$plan')` → `user.app_metadata.$plan`. */
export function joinPath(base: string, key: string | number): string {
  return base === '' ? String(key) : `${base}.${key}`;
}

/** Freezes a catalogue entry and everything it holds, so one caller cannot change another's sample. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * The text a sensitive value of a payload is written as, for the redactor: a string as it is, a
 * number as its decimal text (a one-time code or a password sent as a number); nothing for others.
 */
export function secretText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
