import { useEffect, useState } from 'preact/hooks';
import { mutate, useApp, useQuery } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { DELETE_HOOK, HOOK, UPDATE_HOOK } from '../documents.ts';
import { href, navigate } from '../router.ts';
import type { ApiError, Hook } from '../types.ts';
import { HookEditor, type ScriptProblem } from './hook-editor.tsx';
import { HookRunner } from './hook-runner.tsx';
import { HookSecrets } from './hook-secrets.tsx';
import { HookSettings } from './hook-settings.tsx';
import { HookVersions } from './hook-versions.tsx';

const TABS = [
  { id: 'editor', label: 'Editor' },
  { id: 'runner', label: 'Runner', scope: 'run:hooks' },
  { id: 'versions', label: 'Versions' },
  { id: 'secrets', label: 'Secrets' },
  { id: 'settings', label: 'Settings' },
];

/** One hook: its tabs share the loaded hook and the editor's unsaved draft. */
export function HookPage({ id, tab }: { id: string; tab: string }) {
  const app = useApp();
  const { data, error, reload } = useQuery<{ hook: Hook | null }>(HOOK, { id });
  const [hook, setHook] = useState<Hook | null>(null);
  const [draft, setDraft] = useState<string | null>(null);
  // A refused enable or delete belongs to the tab it was raised on: another tab does not show it.
  const [actionError, setActionError] = useState<{ tab: string; error: ApiError } | null>(null);
  // A syntax error found by saving or by a draft run: it holds while the draft is the text it was found in.
  const [problem, setProblem] = useState<ScriptProblem | null>(null);
  useEffect(() => {
    if (data?.hook) setHook(data.hook);
  }, [data]);
  // A new saved version (save, rollback) replaces the draft.
  useEffect(() => setDraft(hook?.script ?? null), [hook?.id, hook?.version]);

  if (error) return <ErrorMessage error={error} />;
  if (data && !data.hook) return <p>No such hook (deleted, or another tenant's).</p>;
  if (!hook) return <p role="status">Loading…</p>;

  const tabs = TABS.filter((t) => !t.scope || app.can(t.scope));
  const current = tabs.find((t) => t.id === tab) ?? tabs[0]!;
  const refuse = (error: ApiError) => setActionError({ tab: current.id, error });

  async function setEnabled(enabled: boolean) {
    setActionError(null);
    const outcome = await mutate<{ hook: Hook }>(app.clients.http, UPDATE_HOOK, { input: { id: hook!.id, enabled } }, 'updateHook');
    if (outcome.error) return refuse(outcome.error);
    setHook(outcome.ok.hook);
  }

  async function remove() {
    if (!confirm(`Delete the hook "${hook!.name}" with its versions, secrets and executions?`)) return;
    const outcome = await mutate(app.clients.http, DELETE_HOOK, { id: hook!.id }, 'deleteHook');
    if (outcome.error) return refuse(outcome.error);
    navigate(href('hooks', { trigger: hook!.triggerId }));
  }

  const onSaved = (next: Hook) => setHook(next);
  return (
    <section aria-labelledby="hook-title">
      <div class="title-row">
        <h1 id="hook-title">
          {hook.name} <span class="muted">v{hook.version}</span>
        </h1>
        <label class="switch">
          <input type="checkbox" checked={hook.enabled} disabled={!app.can('update:hooks')} onChange={(e) => void setEnabled(e.currentTarget.checked)} />
          Enabled
        </label>
        {app.can('delete:hooks') && (
          <button type="button" class="danger" onClick={() => void remove()}>
            Delete hook
          </button>
        )}
      </div>
      <p class="hint">
        <a href={href('hooks', { trigger: hook.triggerId })}>{hook.triggerId}</a> — <code>{hook.trigger.signature}</code>
        {app.can('read:executions') && (
          <>
            {' · '}
            <a href={href('executions', { hook: hook.id })}>Executions of this hook</a>
          </>
        )}
      </p>
      <ErrorMessage error={actionError?.tab === current.id ? actionError.error : null} />
      <nav class="tabs" aria-label="Hook sections">
        {tabs.map((t) => (
          <a key={t.id} href={href('hooks', hook.id, t.id)} aria-current={t.id === current.id ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {current.id === 'editor' && (
        <HookEditor hook={hook} draft={draft ?? hook.script} onDraft={setDraft} onSaved={onSaved} problem={problem?.script === (draft ?? hook.script) ? problem : null} onProblem={setProblem} />
      )}
      {current.id === 'runner' && <HookRunner hook={hook} draft={draft ?? hook.script} onProblem={setProblem} />}
      {current.id === 'versions' && <HookVersions hook={hook} onRolledBack={reload} />}
      {current.id === 'secrets' && <HookSecrets hook={hook} onChanged={onSaved} />}
      {current.id === 'settings' && <HookSettings hook={hook} onSaved={onSaved} />}
    </section>
  );
}
