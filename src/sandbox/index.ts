/**
 * The sandbox: runs tenants' Auth0 Hooks and OneLogin Smart Hooks scripts, unmodified, in a pool of
 * isolated-vm isolates. See `options.ts` for the knobs and `types.ts` for the contract.
 */
import { resolveOptions, type SandboxOptionsInput } from './options.ts';
import { IsolatePool } from './pool.ts';
import { SyntaxChecker } from './syntax-check.ts';
import type { Sandbox } from './types.ts';

export { lostIsolateThreads } from './isolate-worker.ts';
export { notStartedResult } from './run-outcome.ts';
export type { FetchOptions, SandboxOptions, SandboxOptionsInput } from './options.ts';
export type * from './types.ts';

export function createSandbox(options?: SandboxOptionsInput): Sandbox {
  const pool = new IsolatePool(resolveOptions(options));
  const syntax = new SyntaxChecker();
  return {
    run: (request) => pool.run(request),
    checkSyntax: (script) => syntax.check(script),
    async dispose() {
      syntax.dispose();
      await pool.dispose();
    },
  };
}
