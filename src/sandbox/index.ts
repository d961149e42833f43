/**
 * The sandbox: runs tenants' Auth0 Hooks and OneLogin Smart Hooks scripts, unmodified, in sandbox
 * processes (README.md). See `options.ts` for the knobs and `types.ts` for the contract.
 */
import { resolveOptions, type SandboxOptionsInput } from './options.ts';
import { ProcessSandbox } from './process-sandbox.ts';
import type { ProcessEnd } from './sandbox-process.ts';
import { SyntaxChecker } from './syntax-check.ts';
import type { Sandbox } from './types.ts';

export { disposedResult, notStartedResult, stoppingResult } from './run-outcome.ts';
export type { FetchOptions, SandboxOptions, SandboxOptionsInput } from './options.ts';
export type * from './types.ts';
export type { ProcessEnd } from './sandbox-process.ts';

/** Counts of the engine for /metrics. */
export interface EngineCounts {
  processes: number;
  isolates: number;
  /** Processes replaced (retired for a lost isolate or for their memory, or crashed) since start. */
  recycles: number;
  /** Processes that died, went silent or were killed for their memory since start. */
  crashes: number;
}

/** The sandbox and what tests and diagnostics may ask of it beyond the `Sandbox` contract. */
export interface ProcessBackedSandbox extends Sandbox {
  /** Resolves once the sandbox processes can take runs (runs handed earlier wait for them). */
  ready(): Promise<void>;
  /** Process ids of the sandbox processes now. */
  pids(): number[];
  /** Sandbox processes replaced so far (wedged or exited). */
  replacements(): number;
  stats(): EngineCounts;
}

export interface SandboxEvents {
  /** A sandbox process was replaced (not at dispose), or one already retired was killed for its memory (`crashed`). */
  onReplaced?: (end: ProcessEnd) => void;
}

export function createSandbox(options?: SandboxOptionsInput, events: SandboxEvents = {}): ProcessBackedSandbox {
  const engine = new ProcessSandbox(resolveOptions(options), events.onReplaced);
  const syntax = new SyntaxChecker();
  return {
    run: (request) => engine.run(request),
    checkSyntax: (script) => syntax.check(script),
    drain: (timeoutMs) => engine.drain(timeoutMs),
    ready: () => engine.ready(),
    pids: () => engine.pids(),
    replacements: () => engine.replacements,
    stats: () => ({ ...engine.counts(), recycles: engine.replacements, crashes: engine.crashes }),
    async dispose() {
      syntax.dispose();
      await engine.dispose();
    },
  };
}
