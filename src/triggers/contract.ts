/**
 * Building blocks of the trigger contracts: the outcomes a run can lead to.
 * A warning's `path` is dotted from the response's root; `''` is the response itself.
 */
import type { RunError } from '../sandbox/types.ts';
import { joinPath } from './json.ts';
import type { ContractResult, ContractWarning } from './types.ts';

export function allow(response: unknown, warnings: ContractWarning[] = []): ContractResult {
  return { outcome: 'ALLOW', response, warnings };
}

/** A denial never carries a response: nothing of a denied run may be applied. */
export function deny(warnings: ContractWarning[] = [], userMessage: string | null = null): ContractResult {
  return { outcome: 'DENY', response: null, warnings, userMessage };
}

/** For triggers whose response the pipeline ignores (async ones, send-phone-message). */
export function ignoreResponse(_response: unknown): ContractResult {
  return allow(null);
}

/**
 * Blocking triggers fail closed: a hook that threw, timed out or ran out of memory must not let
 * a registration, token or login through unchecked.
 */
export function denyOnError(_error: RunError): ContractResult {
  return deny();
}

/** Async triggers run after the fact: an error is recorded on the execution, the pipeline moved on. */
export function allowOnError(_error: RunError): ContractResult {
  return allow(null);
}

/** Warnings for the keys of a response object that the contract does not read. */
export function unreadKeys(
  record: Record<string, unknown>,
  readable: readonly string[],
  base: string,
  why: string,
): ContractWarning[] {
  return Object.keys(record)
    .filter((key) => !readable.includes(key))
    .map((key) => ({ path: joinPath(base, key), reason: `${why}; "${key}" was ignored.` }));
}
