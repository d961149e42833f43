import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AppContext, requestError, stateFor, type AppState } from './api.ts';
import { createClients } from './client.ts';
import { TRIGGERS, VIEWER } from './documents.ts';
import { Layout } from './pages/layout.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { hasScope, session } from './session.ts';
import type { ApiError, Trigger } from './types.ts';
import './style.css';

type Phase = { kind: 'signed-out'; error?: string } | { kind: 'checking' } | { kind: 'signed-in'; app: AppState };

/**
 * Checks a token by asking who it is; the console opens with any valid token, whatever its scopes
 * (the trigger catalogue is asked for only with read:hooks, which it needs).
 */
async function open(token: string): Promise<Phase> {
  const clients = createClients(token);
  const signedOut = (error: ApiError | null): Phase => {
    void clients.ws.dispose();
    return { kind: 'signed-out', error: error?.__typename === 'UNAUTHENTICATED' ? 'This token is not valid (revoked, or mistyped).' : (error?.message ?? 'No answer') };
  };
  const result = await clients.http.query(VIEWER, {}).toPromise();
  if (result.error || !result.data) return signedOut(result.error ? requestError(result.error) : null);
  const { viewer } = result.data as { viewer: { tenant: { name: string }; scopes: string[] } };
  let triggers: Trigger[] = [];
  if (hasScope(viewer.scopes, 'read:hooks')) {
    const catalogue = await clients.http.query(TRIGGERS, {}).toPromise();
    if (catalogue.error || !catalogue.data) return signedOut(catalogue.error ? requestError(catalogue.error) : null);
    triggers = catalogue.data.triggers;
  }
  return { kind: 'signed-in', app: stateFor(clients, viewer.tenant.name, viewer.scopes, triggers) };
}

function Console() {
  const [phase, setPhase] = useState<Phase>(() => (session.token() ? { kind: 'checking' } : { kind: 'signed-out' }));

  useEffect(() => {
    const token = session.token();
    if (phase.kind === 'checking' && token) {
      void open(token).then((next) => {
        if (next.kind === 'signed-out') session.signOut();
        setPhase(next);
      });
    }
  }, [phase.kind]);

  const signIn = (token: string) => {
    session.signIn(token);
    setPhase({ kind: 'checking' });
  };
  const signOut = () => {
    session.signOut();
    if (phase.kind === 'signed-in') void phase.app.clients.ws.dispose();
    setPhase({ kind: 'signed-out' });
  };

  if (phase.kind === 'checking') return <p class="center" role="status">Checking the token…</p>;
  if (phase.kind === 'signed-out') return <SignIn onSignIn={signIn} error={phase.error} />;
  return (
    <AppContext.Provider value={phase.app}>
      <Layout onSignOut={signOut} />
    </AppContext.Provider>
  );
}

render(<Console />, document.getElementById('app')!);
