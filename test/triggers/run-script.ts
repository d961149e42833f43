/**
 * Runs a documented hook script in a bare `node:vm` context, in either vendor style, so the tests
 * can check the catalogue's samples against its contracts without the isolated-vm sandbox.
 * Not a sandbox: only for the trusted scripts of the tests.
 */
import vm from 'node:vm';

export interface ScriptOutcome {
  response?: unknown;
  error?: { name: string; message: string; userMessage?: string | null };
}

const PRELUDE = `
globalThis.PreUserRegistrationError = class PreUserRegistrationError extends Error {
  constructor(message, userMessage) {
    super(message);
    this.name = 'PreUserRegistrationError';
    this.userMessage = userMessage;
  }
};
`;

/** A JSON copy, as the sandbox hands values back and forth. */
function json(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function outcomeOf(error: unknown, response: unknown): ScriptOutcome {
  if (error) {
    const { name, message, userMessage } = error as { name: string; message: string; userMessage?: string };
    return { error: { name, message, userMessage: userMessage ?? null } };
  }
  return { response: json(response) };
}

export async function runScript(script: string, args: unknown[]): Promise<ScriptOutcome> {
  const module = { exports: {} as Record<string, unknown> | ((...a: unknown[]) => void) };
  const context = vm.createContext({ module, exports: module.exports, console: { log() {} } });
  vm.runInContext(PRELUDE, context);
  vm.runInContext(script, context);
  const exported = module.exports;
  if (typeof exported === 'function') {
    return new Promise((resolve) => {
      exported(...(json(args) as unknown[]), (error: unknown, response: unknown) => resolve(outcomeOf(error, response)));
    });
  }
  const handler = exported.handler as (context: unknown) => Promise<unknown>;
  try {
    return outcomeOf(null, await handler(json(args[0])));
  } catch (error) {
    return outcomeOf(error, undefined);
  }
}
