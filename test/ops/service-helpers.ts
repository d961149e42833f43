import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/ops/logger.ts';
import type { SandboxFactory } from '../../src/ops/sandbox-seam.ts';
import { createSandbox } from '../../src/sandbox/index.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { createService } from '../../src/service.ts';

export const ADMIN_TOKEN = 'hg_ops_test_token_0123456789abcdef';

let shared: Sandbox | undefined;

/** One isolate pool per test file, lent to each service (whose stop leaves it alone). */
function sharedSandbox(): Sandbox {
  if (!shared) {
    const sandbox = createSandbox({ poolSize: 2 });
    afterAll(() => sandbox.dispose());
    shared = sandbox;
  }
  return shared;
}

/** Log lines a service wrote, parsed. */
export function logCollector() {
  const lines: Record<string, any>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split('\n').filter(Boolean)) {
        raw.push(text);
        lines.push(JSON.parse(text));
      }
      done();
    },
  });
  return { stream, lines, raw };
}

/** A service built by the composition root on :memory:, listening on 127.0.0.1, stopped after the file. */
export async function startTestService(env: Record<string, string> = {}, createSandbox?: SandboxFactory) {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    HOOKGATE_DB: ':memory:',
    HOOKGATE_SECRET_KEY: randomBytes(32).toString('base64'),
    HOOKGATE_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logs = logCollector();
  const service = createService(config, {
    logger: createLogger({ level: config.logLevel, destination: logs.stream }),
    createSandbox: createSandbox ?? (() => {
      const sandbox = sharedSandbox();
      return { sandbox: { run: (request) => sandbox.run(request), checkSyntax: (script) => sandbox.checkSyntax(script), dispose: async () => {} } };
    }),
  });
  const started = await service.start();
  afterAll(() => service.stop('test done'));
  const origin = new URL(started.url).origin;

  async function gql(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
    const response = await fetch(started.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query, variables, operationName }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(`${query}\n${JSON.stringify(body.errors)}`);
    return body.data;
  }

  return { service, started, origin, logs, gql };
}
