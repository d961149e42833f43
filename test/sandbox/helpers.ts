/**
 * Shared pieces of the sandbox tests: requests with sensible defaults, the vendors' samples, and
 * an HTTP peer on 127.0.0.1 whose answers the test decides.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface Peer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** Drops every connection (held responses included) and stops listening. */
  close(): Promise<void>;
}

/**
 * An HTTP peer on 127.0.0.1 that hands each request to `handler`. A handler that keeps `res`
 * holds the response: the hook's fetch waits until the test ends it, so tests wait on events.
 */
export async function listenPeer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Peer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Whether process `pid` still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `condition` holds (checked every 20 ms), failing after 15 s with what was awaited. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 15_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
