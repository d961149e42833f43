import { useState } from 'preact/hooks';
import { mutate, useApp } from '../api.ts';
import { CodeEditor, type Marker } from '../components/code-editor.tsx';
import { ErrorMessage, markerOf } from '../components/error-message.tsx';
import { ExecutionView } from '../components/execution-view.tsx';
import { START_RUN } from '../documents.ts';
import { href } from '../router.ts';
import type { ApiError, Hook } from '../types.ts';
import type { ScriptProblem } from './hook-editor.tsx';

/**
 * The Runner: runs the editor's draft (never saved) or the saved version with a payload that starts
 * as the trigger's sample. startRun answers at once, so the lines stream in while the run goes.
 */
export function HookRunner({ hook, draft, onProblem }: { hook: Hook; draft: string; onProblem: (problem: ScriptProblem) => void }) {
  const app = useApp();
  const sample = JSON.stringify(hook.trigger.samplePayload ?? {}, null, 2);
  const [payload, setPayload] = useState(sample);
  const [payloadKey, setPayloadKey] = useState(0);
  const [payloadMarker, setPayloadMarker] = useState<Marker | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [executionId, setExecutionId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canDraft = app.can('update:hooks');
  const hasDraft = draft !== hook.script;

  async function run(script: string | undefined) {
    setError(null);
    setPayloadMarker(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (problem) {
      setError({ __typename: 'PayloadError', message: `The payload is not JSON: ${(problem as Error).message}` });
      setPayloadMarker({ line: 1, column: 1, message: 'Not JSON' });
      return;
    }
    setBusy(true);
    const outcome = await mutate<{ execution: { id: string } }>(app.clients.http, START_RUN, { input: { hookId: hook.id, payload: parsed, script } }, 'startRun');
    setBusy(false);
    if (outcome.error) {
      // A draft that does not compile: the Editor marks the place, for as long as the draft stays so.
      const marker = markerOf(outcome.error);
      if (marker && script !== undefined) onProblem({ script, error: outcome.error, marker });
      return setError(outcome.error);
    }
    setExecutionId(outcome.ok.execution.id);
  }

  return (
    <div class="runner">
      <div class="stack">
        <span class="label">Payload (JSON)</span>
        <CodeEditor label="Payload" value={payload} resetKey={payloadKey} language="json" onChange={(text) => (setPayload(text), setPayloadMarker(null))} marker={payloadMarker} />
        <div class="actions">
          {canDraft && (
            <button type="button" disabled={busy} onClick={() => void run(draft)}>
              Run draft{hasDraft ? ' (unsaved)' : ''}
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => void run(undefined)}>
            Run saved version {hook.version}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setPayload(sample);
              setPayloadKey((k) => k + 1);
            }}
          >
            Reset payload to the sample
          </button>
        </div>
        {!canDraft && <p class="hint">Running a draft needs update:hooks too: it runs with the hook's secrets.</p>}
        <ErrorMessage error={error} />
        {error?.line && (
          <p>
            <a href={href('hooks', hook.id, 'editor')}>Show line {error.line} in the editor</a>
          </p>
        )}
      </div>
      <section aria-labelledby="run-title" class="run-result">
        <h2 id="run-title">Run</h2>
        {executionId ? (
          <>
            {app.can('read:executions') ? (
              <>
                <p>
                  <a href={href('executions', executionId)}>Open this execution</a>
                </p>
                <ExecutionView key={executionId} id={executionId} showPayload={false} />
              </>
            ) : (
              <p>Started. Following it needs read:executions.</p>
            )}
          </>
        ) : (
          <p class="muted">Nothing run yet.</p>
        )}
      </section>
    </div>
  );
}
