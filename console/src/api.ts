import type { Client, CombinedError } from '@urql/core';
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Clients } from './client.ts';
import { hasScope } from './session.ts';
import type { ApiError, Trigger } from './types.ts';

export interface AppState {
  clients: Clients;
  tenant: string;
  scopes: string[];
  triggers: Trigger[];
  can: (scope: string) => boolean;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside the signed-in console');
  return app;
}

export const stateFor = (clients: Clients, tenant: string, scopes: string[], triggers: Trigger[]): AppState => ({
  clients,
  tenant,
  scopes,
  triggers,
  can: (scope) => hasScope(scopes, scope),
});

/** A request-level failure (no token, missing scope, network) as the console shows it. */
export function requestError(error: CombinedError): ApiError {
  const first = error.graphQLErrors[0];
  const code = first?.extensions?.code;
  const message = first?.message ?? error.networkError?.message ?? error.message;
  return { __typename: typeof code === 'string' ? code : 'RequestError', message };
}

export type MutationOutcome<T> = { ok: T; error?: undefined } | { ok?: undefined; error: ApiError };

/** Sends a mutation and splits its `<Name>Result` union into the success or the typed error. */
export async function mutate<T = any>(client: Client, document: string, variables: Record<string, unknown>, field: string): Promise<MutationOutcome<T>> {
  const result = await client.mutation(document, variables).toPromise();
  if (result.error) return { error: requestError(result.error) };
  const value = result.data?.[field];
  if (value && typeof value.__typename === 'string' && !value.__typename.endsWith('Success')) return { error: value as ApiError };
  return { ok: value as T };
}

/** Runs a query; `data` is null while it loads or after an error. `reload` runs it again. */
export function useQuery<T = any>(document: string, variables: Record<string, unknown>, pause = false) {
  const { clients } = useApp();
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({ data: null, error: null, loading: !pause });
  const [round, setRound] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (pause) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    void clients.http
      .query(document, variables)
      .toPromise()
      .then((result) => {
        if (!current) return;
        setState({ data: (result.data as T) ?? null, error: result.error ? requestError(result.error) : null, loading: false });
      });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [document, key, round, pause]);
  return { ...state, reload: () => setRound((r) => r + 1) };
}

export interface StreamHandlers<T> {
  next: (value: T) => void;
  complete?: () => void;
  error?: (message: string) => void;
}

/**
 * Follows a subscription over graphql-ws while `variables` is not null; ends it on unmount or when
 * the variables change. The handlers are read on each event (no stale closure).
 */
export function useSubscription<T = any>(document: string, variables: Record<string, unknown> | null, handlers: StreamHandlers<T>) {
  const { clients } = useApp();
  const latest = useRef(handlers);
  latest.current = handlers;
  const key = variables === null ? null : JSON.stringify(variables);
  useEffect(() => {
    if (key === null) return;
    return clients.ws.subscribe<T>(
      { query: document, variables: JSON.parse(key) },
      {
        next: (result) => {
          if (result.errors?.length) latest.current.error?.(result.errors[0]!.message);
          else if (result.data) latest.current.next(result.data as T);
        },
        error: (error) => latest.current.error?.(error instanceof Error ? error.message : 'The live connection failed'),
        complete: () => latest.current.complete?.(),
      },
    );
  }, [clients, document, key]);
}
