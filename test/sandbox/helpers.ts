/**
 * Shared pieces of the sandbox tests: requests with sensible defaults and the vendors' samples.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunRequest } from '../../src/sandbox/types.ts';

// Copies of shared/samples, kept in the repository so the suite runs from any clone.
export const SAMPLES_DIR = fileURLToPath(new URL('../fixtures', import.meta.url));

export function readSample(name: string): string {
  return readFileSync(`${SAMPLES_DIR}/${name}`, 'utf8');
}

/** A request for `script`, keyed by its content as the execution service does for drafts. */
export function hookRequest(script: string, overrides: Partial<RunRequest> = {}): RunRequest {
  return {
    cacheKey: createHash('sha256').update(script).digest('hex'),
    script,
    args: [{ id: 'user-1' }, { webtask: { secrets: {} } }],
    env: {},
    timeoutMs: 2_000,
    ...overrides,
  };
}
