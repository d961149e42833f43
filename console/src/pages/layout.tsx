import { useApp } from '../api.ts';
import { href, useRoute } from '../router.ts';
import { EnvVars } from './env-vars.tsx';
import { ExecutionPage } from './execution-page.tsx';
import { Executions } from './executions.tsx';
import { HookPage } from './hook-page.tsx';
import { HooksList } from './hooks-list.tsx';
import { NewHook } from './new-hook.tsx';

/** The signed-in frame: who the token is, what it may do, where to go. */
export function Layout({ onSignOut }: { onSignOut: () => void }) {
  const app = useApp();
  const route = useRoute();
  const [section = 'hooks', id, tab] = route.parts;
  const links = [
    { to: 'hooks', label: 'Hooks', allowed: app.can('read:hooks') },
    { to: 'executions', label: 'Executions', allowed: app.can('read:executions') },
    { to: 'env', label: 'Env vars', allowed: app.can('read:hooks') },
  ];
  return (
    <>
      <header class="top">
        <span class="brand">hookgate</span>
        <nav aria-label="Sections">
          {links
            .filter((l) => l.allowed)
            .map((l) => (
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
      <main class="page">{page(section, id, tab, route.params)}</main>
    </>
  );
}

function page(section: string, id: string | undefined, tab: string | undefined, params: URLSearchParams) {
  if (section === 'hooks' && id === 'new') return <NewHook triggerId={params.get('trigger') ?? undefined} />;
  if (section === 'hooks' && id) return <HookPage id={id} tab={tab ?? 'editor'} />;
  if (section === 'hooks') return <HooksList params={params} />;
  if (section === 'executions' && id) return <ExecutionPage id={id} />;
  // Keyed by the address's filter: a new ?hook=… starts the page from it, even from the page itself.
  if (section === 'executions') return <Executions key={params.get('hook') ?? ''} params={params} />;
  if (section === 'env') return <EnvVars />;
  return <p>Nothing here. <a href={href('hooks')}>Back to the hooks</a></p>;
}
