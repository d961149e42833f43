import { useState } from 'preact/hooks';
import { mutate, useApp } from '../api.ts';
import { CodeEditor, type Marker } from '../components/code-editor.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { UPDATE_HOOK } from '../documents.ts';
import type { ApiError, Hook } from '../types.ts';

/** The script in a code editor; saving makes a new version, or marks where the syntax is wrong. */
export function HookEditor({ hook, draft, onDraft, onSaved }: { hook: Hook; draft: string; onDraft: (script: string) => void; onSaved: (hook: Hook) => void }) {
  const app = useApp();
  const [error, setError] = useState<ApiError | null>(null);
  const [marker, setMarker] = useState<Marker | null>(null);
  const [status, setStatus] = useState('');
  const editable = app.can('update:hooks');
  const changed = draft !== hook.script;

  async function save() {
    if (!editable) return;
    setStatus('Saving…');
    const outcome = await mutate<{ hook: Hook }>(app.clients.http, UPDATE_HOOK, { input: { id: hook.id, script: draft } }, 'updateHook');
    if (outcome.error) {
      setStatus('');
      setError(outcome.error);
      const { line, column, message } = outcome.error;
      setMarker(line ? { line, column: column ?? 1, message } : null);
      return;
    }
    setError(null);
    setMarker(null);
    setStatus(`Saved as version ${outcome.ok.hook.version}`);
    onSaved(outcome.ok.hook);
  }

  return (
    <div class="stack">
      <span class="label">Script {changed && <em>(unsaved changes)</em>}</span>
      <CodeEditor label="Script" value={draft} resetKey={`${hook.id}:${hook.version}`} language="javascript" readOnly={!editable} onChange={onDraft} onSave={() => void save()} marker={marker} />
      <ErrorMessage error={error} />
      <div class="actions">
        {editable ? (
          <button type="button" onClick={() => void save()} disabled={!changed} aria-keyshortcuts="Control+S">
            Save (Ctrl-S)
          </button>
        ) : (
          <p class="hint">Read only: saving needs the scope update:hooks.</p>
        )}
        <span role="status">{status}</span>
      </div>
    </div>
  );
}
