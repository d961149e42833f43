/**
 * What a context of the sandbox's isolate offers that lib ES2023 does not describe, as far as the
 * runtime touches it. The isolate is a bare V8 context: no Node, no DOM (hence `types: []`).
 */

/** The global object seen as the parts the runtime deletes (globals.ts says why). */
interface IsolateGlobal {
  Atomics: { wait?: unknown; waitAsync?: unknown };
  FinalizationRegistry?: unknown;
  WebAssembly?: unknown;
}
