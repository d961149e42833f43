/**
 * Auth0 user and app metadata as a hook may set it. Metadata property names must not start with
 * `$` or contain `.` (from the Auth0 Hooks docs): such keys, at any depth, are dropped with a warning.
 */
import { isRecord, joinPath, setOwn, type JsonRecord } from './json.ts';
import type { ContractWarning } from './types.ts';

/** Why a metadata key is refused, or null when it is fine. */
export function metadataKeyProblem(key: string): string | null {
  if (key.startsWith('$')) return `Metadata key "${key}" starts with "$", which metadata names may not.`;
  if (key.includes('.')) return `Metadata key "${key}" contains ".", which metadata names may not.`;
  return null;
}

/**
 * A copy of a metadata object with refused keys dropped, or undefined (with a warning) when the
 * value is not an object at all.
 */
export function sanitizeMetadata(value: unknown, path: string, warnings: ContractWarning[]): JsonRecord | undefined {
  if (!isRecord(value)) {
    warnings.push({ path, reason: 'Metadata must be an object; this value was ignored.' });
    return undefined;
  }
  return sanitizeValue(value, path, warnings, new Set()) as JsonRecord;
}

function sanitizeValue(value: unknown, path: string, warnings: ContractWarning[], ancestors: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return undefined;
  if (ancestors.has(value)) {
    warnings.push({ path, reason: 'A value that contains itself cannot be stored; it was dropped.' });
    return undefined;
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item, index) => sanitizeValue(item, joinPath(path, index), warnings, ancestors) ?? null);
    }
    const copy: JsonRecord = {};
    for (const [key, item] of Object.entries(value)) {
      const itemPath = joinPath(path, key);
      const problem = metadataKeyProblem(key);
      if (problem !== null) {
        warnings.push({ path: itemPath, reason: `${problem} It was dropped.` });
        continue;
      }
      const sanitized = sanitizeValue(item, itemPath, warnings, ancestors);
      if (sanitized !== undefined) setOwn(copy, key, sanitized);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}
