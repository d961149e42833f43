import { useEffect, useState } from 'preact/hooks';
import { mutate, useApp, useQuery } from '../api.ts';
import { CodeEditor } from '../components/code-editor.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { CREATE_HOOK, TRIGGER } from '../documents.ts';
import { href, navigate } from '../router.ts';
import type { ApiError, Trigger } from '../types.ts';

/** A new hook from a trigger's starter code. */
export function NewHook({ triggerId: initial }: { triggerId?: string }) {
  const app = useApp();
  const [triggerId, setTriggerId] = useState(initial ?? app.triggers[0]?.id ?? '');
  const [name, setName] = useState('');
  const [script, setScript] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const { data } = useQuery<{ trigger: Trigger }>(TRIGGER, { id: triggerId }, !triggerId);
  const starter = data?.trigger.starterCode ?? '';
  useEffect(() => setScript(starter), [starter]);

  if (!app.can('create:hooks')) return <p>This token cannot create hooks (scope create:hooks).</p>;

  async function create(event: Event) {
    event.preventDefault();
    setBusy(true);
    const outcome = await mutate<{ hook: { id: string } }>(app.clients.http, CREATE_HOOK, { input: { name, triggerId, script } }, 'createHook');
    setBusy(false);
    if (outcome.error) return setError(outcome.error);
    navigate(href('hooks', outcome.ok.hook.id, 'editor'));
  }

  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">New hook</h1>
      <form onSubmit={create} class="stack">
        <label>
          Trigger
          <select value={triggerId} onChange={(e) => setTriggerId(e.currentTarget.value)}>
            {app.triggers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.id} ({t.vendor})
              </option>
            ))}
          </select>
        </label>
        {data && <p class="hint">{data.trigger.description}</p>}
        <label>
          Name
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} pattern="[a-zA-Z0-9]([ a-zA-Z0-9\-]*[a-zA-Z0-9])?" />
        </label>
        <span class="label">
          Script (the trigger's starter code)
        </span>
        {data && <CodeEditor label="Script" value={starter} resetKey={starter} language="javascript" onChange={setScript} />}
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy || !data}>
          Create hook
        </button>
      </form>
    </section>
  );
}
