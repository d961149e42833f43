import { useState } from 'preact/hooks';
import { mutate, useApp } from '../api.ts';
import { CodeEditor, type Marker } from '../components/code-editor.tsx';
import { ErrorMessage, markerOf } from '../components/error-message.tsx';
import { UPDATE_HOOK } from '../documents.ts';
import type { ApiError, Hook } from '../types.ts';

/** A syntax error in a script (found on save or by a draft run), and its place for the editor's mark. */
export interface ScriptProblem {
  script: string;
  error: ApiError;
  marker: Marker;
}

interface Props {
  hook: Hook;
  draft: string;
  onDraft: (script: string) => void;
  onSaved: (hook: Hook) => void;
  /** The syntax error of this very draft, if one was found: marked in the editor until the text changes. */
  problem: ScriptProblem | null;
  onProblem: (problem: ScriptProblem | null) => void;
}

/** The script in a code editor; saving makes a new version, or marks where the syntax is wrong. */
export function HookEditor({ hook, draft, onDraft, onSaved, problem, onProblem }: Props) {
  const app = useApp();
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const editable = app.can('update:hooks');
  const changed = draft !== hook.script;

  async function save() {
    if (!editable) return;
    setStatus('Saving…');
    const outcome = await mutate<{ hook: Hook }>(app.clients.http, UPDATE_HOOK, { input: { id: hook.id, script: draft } }, 'updateHook');
    setStatus('');
    if (outcome.error) {
      const marker = markerOf(outcome.error);
      if (marker) return setError(null), onProblem({ script: draft, error: outcome.error, marker });
      return setError(outcome.error);
    }
    setError(null);
    onProblem(null);
    setStatus(`Saved as version ${outcome.ok.hook.version}`);
    onSaved(outcome.ok.hook);
  }

  return (
    <div class="stack">
      <span class="label">Script {changed && <em>(unsaved changes)</em>}</span>
      <CodeEditor
        label="Script"
        value={draft}
        resetKey={`${hook.id}:${hook.version}`}
        language="javascript"
        readOnly={!editable}
        onChange={onDraft}
        onSave={() => void save()}
        marker={problem?.marker ?? null}
      />
      <ErrorMessage error={error ?? problem?.error} />
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
