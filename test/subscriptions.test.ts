import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CountingEventTarget, createHook, createTenant, listenTestApp, waitFor, type TestApp } from './helpers.ts';

const SLOW_LOGGER = `module.exports = function (user, context, cb) {
  console.log('line 1');
  setTimeout(function () {
    console.log('line 2');
    setTimeout(function () { console.log('line 3'); cb(null, {}); }, 300);
  }, 300);
};`;

const LOGS = `subscription($id: ID!) { executionLogs(executionId: $id) { seq level message } }`;

/** Queues a run of the slow logger and returns its execution id at once (async trigger). */
async function startSlowRun(app: TestApp) {
  await createHook(app, { name: 'slow', triggerId: 'post-user-registration', script: SLOW_LOGGER, timeoutMs: 5000 });
  const data = await app.ok(`mutation { dispatchTrigger(input: {triggerId: "post-user-registration", payload: {user: {id: "u1"}, context: {}}}) {
    ... on DispatchTriggerSuccess { executionIds } } }`);
  return data.dispatchTrigger.executionIds[0] as string;
}

const statusOf = (app: TestApp, id: string) =>
  app.ok(`query($id: ID!) { execution(id: $id) { status } }`, { id }).then((d) => d.execution.status as string);

/** Reads an SSE response event by event until the stream completes. */
async function* sseEvents(response: Response): AsyncGenerator<{ event: string; data: any }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  while (true) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === 'complete') return;
      if (data) yield { event, data: JSON.parse(data) };
    }
  }
}

describe('subscriptions', () => {
  let closeServer: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await closeServer?.();
    closeServer = undefined;
  });

  it('streams an execution’s lines over SSE as they are written, then completes', async () => {
    const app = await listenTestApp();
    const server = app;
    closeServer = server.close;
    const id = await startSlowRun(app);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify({ query: LOGS, variables: { id } }),
    });
    expect(response.status).toBe(200);
    const received: { message: string; statusWhenReceived: string }[] = [];
    for await (const { data } of sseEvents(response)) {
      expect(data.errors).toBeUndefined();
      received.push({ message: data.data.executionLogs.message, statusWhenReceived: await statusOf(app, id) });
    }
    expect(received.map((r) => r.message)).toEqual(['line 1', 'line 2', 'line 3']);
    // The first lines arrived while the hook was still running, not at the end.
    expect(received[0].statusWhenReceived).toBe('RUNNING');
    expect(received[1].statusWhenReceived).toBe('RUNNING');
    expect(await statusOf(app, id)).toBe('SUCCEEDED');
  });

  it('streams the same over graphql-ws, authenticated by connection params', async () => {
    const app = await listenTestApp();
    const server = app;
    closeServer = server.close;
    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${app.adminToken}` }, retryAttempts: 0 });
    try {
      const id = await startSlowRun(app);
      const received: { message: string; status: string }[] = [];
      const pending: Promise<void>[] = [];
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ executionLogs: { message: string } }>(
          { query: LOGS, variables: { id } },
          {
            next: (result) => {
              if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
              const entry = { message: result.data!.executionLogs.message, status: '' };
              received.push(entry);
              pending.push(statusOf(app, id).then((status) => void (entry.status = status)));
            },
            error: reject,
            complete: resolve,
          },
        );
      });
      await Promise.all(pending);
      expect(received.map((r) => r.message)).toEqual(['line 1', 'line 2', 'line 3']);
      expect(received[0].status).toBe('RUNNING');
    } finally {
      await client.dispose();
    }
  });

  it('sends the stored lines of an ended execution, then completes at once', async () => {
    const app = await listenTestApp();
    const id = await startSlowRun(app);
    await app.services.dispatch.idle();
    const server = app;
    closeServer = server.close;
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify({ query: LOGS, variables: { id } }),
    });
    const messages: string[] = [];
    for await (const { data } of sseEvents(response)) messages.push(data.data.executionLogs.message);
    expect(messages).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('sends executionUpdated to the owning tenant only, narrowed by the filter', async () => {
    const target = new CountingEventTarget();
    const app = await listenTestApp({ eventTarget: target as never });
    const server = app;
    closeServer = server.close;
    const otherToken = await createTenant(app, 'other');
    const subscribe = (token: string, filter: Record<string, unknown>) => {
      const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
      const seen: { status: string; triggerId: string; hook: { name: string } }[] = [];
      const errors: unknown[] = [];
      client.subscribe<{ executionUpdated: { status: string; triggerId: string; hook: { name: string } } }>(
        { query: `subscription($filter: ExecutionUpdateFilter) { executionUpdated(filter: $filter) { status triggerId hook { name } } }`, variables: { filter } },
        { next: (r) => (r.errors ? errors.push(r.errors) : seen.push(r.data!.executionUpdated)), error: (e) => errors.push(e), complete: () => {} },
      );
      return { client, seen, errors };
    };
    const before = target.listeners;
    const mine = subscribe(app.adminToken, {});
    const succeededOnly = subscribe(app.adminToken, { status: 'SUCCEEDED' });
    const theirs = subscribe(otherToken, {});
    await waitFor(() => target.listeners === before + 3);
    // Each hook writes a console line, which has its run's start written then (a run that ends
    // sooner than services/run-record.ts's UNWRITTEN_START_MS without one is written once, ended).
    const script = "module.exports = function (u, c, cb) { console.log('started'); cb(null, {}) }";
    const hook = await createHook(app, { name: 'quick', triggerId: 'pre-user-registration', script });
    await app.ok(`mutation($id: ID!) { runHook(input: {hookId: $id}) { __typename } }`, { id: hook.id });
    // The other tenant's own run comes after ours: once its subscriber has seen it, it would have
    // seen ours first, had it been sent.
    const sentinel = await createHook(app, { name: 'sentinel', triggerId: 'pre-user-registration', script }, otherToken);
    await app.ok(`mutation($id: ID!) { runHook(input: {hookId: $id}) { __typename } }`, { id: sentinel.id }, otherToken);
    await waitFor(() => mine.seen.length >= 2 && succeededOnly.seen.length >= 1 && theirs.seen.length >= 2);
    try {
      expect(mine.errors).toEqual([]);
      expect(mine.seen.map((e) => [e.hook.name, e.status])).toEqual([['quick', 'RUNNING'], ['quick', 'SUCCEEDED']]);
      expect(succeededOnly.seen.map((e) => [e.hook.name, e.status])).toEqual([['quick', 'SUCCEEDED']]);
      expect(theirs.seen.map((e) => [e.hook.name, e.status])).toEqual([['sentinel', 'RUNNING'], ['sentinel', 'SUCCEEDED']]);
    } finally {
      await Promise.all([mine.client.dispose(), succeededOnly.client.dispose(), theirs.client.dispose()]);
    }
  });

  it('lets go of its listeners when the client goes away (SSE and graphql-ws)', async () => {
    const target = new CountingEventTarget();
    const app = await listenTestApp({ eventTarget: target as never });
    const server = app;
    closeServer = server.close;
    const id = await startSlowRun(app);
    const before = target.listeners;

    const abort = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify({ query: `subscription { executionUpdated { status } }` }),
    });
    expect(response.status).toBe(200);
    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${app.adminToken}` }, retryAttempts: 0 });
    client.subscribe({ query: LOGS, variables: { id } }, { next: () => {}, error: () => {}, complete: () => {} });
    await waitFor(() => target.listeners === before + 2);

    abort.abort();
    await client.dispose();
    await waitFor(() => target.listeners === before);
    expect(target.listeners).toBe(before);
    await app.services.dispatch.idle();
  });

  it('ends a subscription whose token is revoked, and shows each event as it is now', async () => {
    const target = new CountingEventTarget();
    const app = await listenTestApp({ eventTarget: target as never });
    const server = app;
    closeServer = server.close;
    const { createApiToken } = await app.ok(`mutation { createApiToken(input: {name: "viewer", scopes: [READ_EXECUTIONS, READ_HOOKS]}) { ... on CreateApiTokenSuccess { token apiToken { id } } } }`);
    const before = target.listeners;
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${createApiToken.token}` },
      body: JSON.stringify({ query: `subscription { executionUpdated { status logs(first: 5) { edges { node { message } } } } }` }),
    });
    const events = sseEvents(response);
    const first = events.next(); // pulls the stream, which starts the subscription
    await waitFor(() => target.listeners > before);
    const hook = await createHook(app, { name: 'talker', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { console.log("said it"); cb(null, {}) }' });
    await app.ok(`mutation($id: ID!) { runHook(input: {hookId: $id}) { __typename } }`, { id: hook.id });
    const running = (await first).value!.data.data.executionUpdated;
    const ended = (await events.next()).value!.data.data.executionUpdated;
    expect(running.status).toBe('RUNNING');
    // Each event resolves afresh: the end shows the line written after the start was sent.
    expect(ended).toEqual({ status: 'SUCCEEDED', logs: { edges: [{ node: { message: 'said it' } }] } });

    await app.ok(`mutation($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }`, { id: createApiToken.apiToken.id });
    await app.ok(`mutation($id: ID!) { runHook(input: {hookId: $id}) { __typename } }`, { id: hook.id });
    const refused = (await events.next()).value!;
    expect(refused.data.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await events.next()).done).toBe(true);
  });

  it('refuses subscriptions without a token, and another tenant’s execution logs', async () => {
    const app = await listenTestApp();
    const server = app;
    closeServer = server.close;
    const id = await startSlowRun(app);
    const other = await createTenant(app, 'other');
    const post = (token: string | null) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: LOGS, variables: { id } }),
      });
    const collect = async (response: Response) => {
      const events: any[] = [];
      for await (const { data } of sseEvents(response)) events.push(data);
      return events;
    };
    const anonymous = await collect(await post(null));
    expect(anonymous[0].errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const foreign = await collect(await post(other));
    expect(foreign).toHaveLength(1);
    expect(foreign[0].data ?? null).toBeNull();
    expect(foreign[0].errors[0].message).toMatch(/not found/);
    await app.services.dispatch.idle();
  });
});
