/** graphql-ws: a bad token is refused when the connection opens, and no client's mistake reaches the service's stderr. */
import { createClient, type Client } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { listenTestApp, type ListeningTestApp } from './helpers.ts';

/** What a client saw: the operation's results or error, and the connection's acknowledgement and close. */
async function attempt(app: ListeningTestApp, connectionParams: Record<string, unknown> | undefined, query: string, lazy = true) {
  let connected = false;
  let closeCode: number | undefined;
  const client = createClient({
    url: app.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy,
    on: { connected: () => (connected = true), closed: (event) => (closeCode = (event as { code: number }).code) },
  });
  const results: unknown[] = [];
  const error = await new Promise<unknown>((resolve) => {
    client.subscribe({ query }, { next: (result) => results.push(result), error: resolve, complete: () => resolve(undefined) });
  });
  return { client, connected, results, error, closeCode: () => closeCode };
}

describe('graphql-ws authentication', () => {
  let app: ListeningTestApp;
  const clients: Client[] = [];
  let stderr: unknown[];
  beforeEach(async () => {
    app = await listenTestApp();
    stderr = [];
    vi.spyOn(console, 'error').mockImplementation((...args) => void stderr.push(args));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await app.close();
  });

  it('refuses a bad token with Forbidden (4403) as the connection opens, writing nothing to stderr', async () => {
    // Not a string either: a number, or the right token inside an array, is no bearer token.
    for (const Authorization of ['Bearer hg_bad', 'Basic abc', 123, [`Bearer ${app.adminToken}`]]) {
      const seen = await attempt(app, { Authorization }, `subscription { executionUpdated { status } }`);
      clients.push(seen.client);
      expect(seen.connected).toBe(false);
      expect(seen.results).toEqual([]);
      expect(seen.error).toMatchObject({ code: 4403, reason: 'Forbidden' });
      expect(seen.closeCode()).toBe(4403);
    }
    expect(stderr).toEqual([]);
  });

  it('lets a client without a token connect: introspection works, protected fields answer UNAUTHENTICATED', async () => {
    const typename = await attempt(app, undefined, `{ __typename }`);
    clients.push(typename.client);
    expect(typename.connected).toBe(true);
    expect(typename.results).toEqual([{ data: { __typename: 'Query' } }]);
    expect(typename.error).toBeUndefined();

    const protectedField = await attempt(app, {}, `subscription { executionUpdated { status } }`);
    clients.push(protectedField.client);
    expect(protectedField.connected).toBe(true);
    expect(protectedField.results).toMatchObject([{ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] }]);
    expect(stderr).toEqual([]);
  });

  it('answers a syntax error, and a token revoked since the connection opened, on the operation; the connection stays', async () => {
    const { createApiToken } = await app.ok(`mutation { createApiToken(input: {name: "ws", scopes: [READ_HOOKS]}) { ... on CreateApiTokenSuccess { token apiToken { id } } } }`);
    // Not lazy: the client keeps its one connection open between operations.
    const syntax = await attempt(app, { Authorization: `Bearer ${createApiToken.token}` }, `{ viewer { scopes `, false);
    clients.push(syntax.client);
    expect(syntax.connected).toBe(true);
    expect(syntax.error).toMatchObject([{ message: expect.stringContaining('Syntax Error') }]);

    const run = (query: string) =>
      new Promise<unknown>((resolve) => {
        const results: unknown[] = [];
        syntax.client.subscribe({ query }, { next: (result) => results.push(result), error: resolve, complete: () => resolve(results) });
      });
    expect(await run(`{ viewer { scopes } }`)).toEqual([{ data: { viewer: { scopes: ['read:hooks'] } } }]);
    await app.ok(`mutation($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }`, { id: createApiToken.apiToken.id });
    expect(await run(`{ viewer { scopes } }`)).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(syntax.closeCode()).toBeUndefined();
    expect(stderr).toEqual([]);
  });

  it('closes a connection whose frame passes the message bound (1009) or is not UTF-8 (1007), writing nothing to stderr', async () => {
    const closeCodeAfter = async (frame: string | Buffer) => {
      const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      socket.on('error', () => {});
      socket.send(frame, { binary: false });
      return closed;
    };
    expect(await closeCodeAfter('x'.repeat(3 * 1024 * 1024))).toBe(1009);
    expect(await closeCodeAfter(Buffer.from([0xff, 0xfe, 0xfd]))).toBe(1007);
    expect(stderr).toEqual([]);
  });
});
