/**
 * The sandbox: runs tenants' Auth0 Hooks and OneLogin Smart Hooks scripts, unmodified, in sandbox
 * processes (README.md). See `options.ts` for the knobs and `types.ts` for the contract.
 */
import { resolveOptions, type SandboxOptionsInput } from './options.ts';
import { ProcessSandbox } from './process-sandbox.ts';
import { SyntaxChecker } from './syntax-check.ts';
import type { Sandbox } from './types.ts';

export { notStartedResult } from './run-outcome.ts';
export type { FetchOptions, SandboxOptions, SandboxOptionsInput } from './options.ts';
export type * from './types.ts';

/** The sandbox and what tests and diagnostics may ask of it beyond the `Sandbox` contract. */
export interface ProcessBackedSandbox extends Sandbox {
  /** Resolves once the sandbox processes can take runs (runs handed earlier wait for them). */
  ready(): Promise<void>;
  /** Process ids of the sandbox processes now. */
  pids(): number[];
  /** Sandbox processes replaced so far (wedged or exited). */
  replacements(): number;
}

export function createSandbox(options?: SandboxOptionsInput): ProcessBackedSandbox {
  const engine = new ProcessSandbox(resolveOptions(options));
  const syntax = new SyntaxChecker();
  return {
    run: (request) => engine.run(request),
    checkSyntax: (script) => syntax.check(script),
    drain: (timeoutMs) => engine.drain(timeoutMs),
    ready: () => engine.ready(),
    pids: () => engine.pids(),
    replacements: () => engine.replacements,
    async dispose() {
      syntax.dispose();
      await engine.dispose();
    },
  };
}
