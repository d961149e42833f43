import { useApp } from '../api.ts';
import { href, useRoute } from '../router.ts';
import { EnvVars } from './env-vars.tsx';
import { ExecutionPage } from './execution-page.tsx';
import { Executions } from './executions.tsx';
import { HookPage } from './hook-page.tsx';
import { HooksList } from './hooks-list.tsx';
import { NewHook } from './new-hook.tsx';

/**
 * The signed-in frame: who the token is, what it may do, where to go. Any valid token opens it;
 * a section its scopes do not allow is neither linked nor shown, and the first allowed one is the
 * start page (the Executions of a log viewer's read:executions token).
 */
export function Layout({ onSignOut }: { onSignOut: () => void }) {
  const app = useApp();
  const route = useRoute();
  const links = [
    { to: 'hooks', label: 'Hooks', scope: 'read:hooks' },
    { to: 'executions', label: 'Executions', scope: 'read:executions' },
    { to: 'env', label: 'Env vars', scope: 'read:hooks' },
  ].map((l) => ({ ...l, allowed: app.can(l.scope) }));
  const offered = links.filter((l) => l.allowed);
  const [section = offered[0]?.to ?? '', id, tab] = route.parts;
  const link = links.find((l) => l.to === section);
  return (
    <>
      <header class="top">
        <span class="brand">hookgate</span>
        <nav aria-label="Sections">
          {offered.map((l) => (
              <a key={l.to} href={href(l.to)} aria-current={section === l.to ? 'page' : undefined}>
                {l.label}
              </a>
            ))}
        </nav>
        <div class="who">
          <span>
            Tenant <strong data-testid="tenant">{app.tenant}</strong>
          </span>
          <ul class="scopes" aria-label="Scopes of this token">
            {app.scopes.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main class="page">
        {offered.length === 0 ? (
          <p role="status">The console offers nothing to this token: its pages need the scope read:hooks (hooks, env vars) or read:executions (executions).</p>
        ) : link && !link.allowed ? (
          <p role="status">
            {link.label}: this page needs the scope {link.scope}, which this token lacks. <a href={href(offered[0]!.to)}>Go to the {offered[0]!.label.toLowerCase()}</a>
          </p>
        ) : (
          page(section, id, tab, route.params)
        )}
      </main>
    </>
  );
}

function page(section: string, id: string | undefined, tab: string | undefined, params: URLSearchParams) {
  if (section === 'hooks' && id === 'new') return <NewHook triggerId={params.get('trigger') ?? undefined} />;
  // Keyed by the hook: another hook's page starts afresh, with none of this one's state (a refusal, a draft).
  if (section === 'hooks' && id) return <HookPage key={id} id={id} tab={tab ?? 'editor'} />;
  if (section === 'hooks') return <HooksList params={params} />;
  if (section === 'executions' && id) return <ExecutionPage id={id} />;
  // Keyed by the address's filter: a new ?hook=… starts the page from it, even from the page itself.
  if (section === 'executions') return <Executions key={params.get('hook') ?? ''} params={params} />;
  if (section === 'env') return <EnvVars />;
  return <p>Nothing here. <a href={href('')}>Back to the start</a></p>;
}
