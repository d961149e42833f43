import { afterAll } from 'vitest';
import { listenTestApp, type ListenOptions, type TestApp } from './helpers.ts';

export interface RestAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A fresh service (the composition root's) on a listening server, and a REST caller that prints the exchange when asked to. */
export async function restTestApp(options: ListenOptions = {}) {
  const app = await listenTestApp(options);
  afterAll(() => app.close());
  const origin = new URL(app.url).origin;

  /** One REST call: a JSON body (or raw text), the admin token unless told otherwise. */
  async function rest<T = any>(
    method: string,
    path: string,
    { body, token = app.adminToken, authorization, headers = {} }: { body?: unknown; token?: string | null; authorization?: string; headers?: Record<string, string> } = {},
  ): Promise<RestAnswer<T>> {
    const auth = authorization ?? (token ? `Bearer ${token}` : undefined);
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(auth ? { authorization: auth } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the text as it came.
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** Like rest, but fails with the request and the whole answer unless the status is `expected`. */
  async function expectStatus<T = any>(expected: number, method: string, path: string, options: Parameters<typeof rest>[2] = {}) {
    const answer = await rest<T>(method, path, options);
    if (answer.status !== expected) {
      throw new Error(`${method} ${path} ${JSON.stringify(options.body)}\nexpected HTTP ${expected}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  return { app, origin, rest, expectStatus };
}

export type RestTestApp = Awaited<ReturnType<typeof restTestApp>>;

/** A token of the app's default tenant holding only these scopes. */
export function tokenWithScopes(app: TestApp, scopes: string[]): string {
  const admin = app.services.tokens.authenticate(app.adminToken);
  return app.services.tokens.create(admin, { name: `only ${scopes.join(' ')}`, scopes }).token;
}
