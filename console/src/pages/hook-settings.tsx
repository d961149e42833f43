import { useState } from 'preact/hooks';
import { mutate, useApp } from '../api.ts';
import { CodeEditor } from '../components/code-editor.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { UPDATE_HOOK } from '../documents.ts';
import type { ApiError, Hook } from '../types.ts';

type Condition = Hook['conditions'][number];

/** Name, timeout, retries, conditions, options and env var names. */
export function HookSettings({ hook, onSaved }: { hook: Hook; onSaved: (hook: Hook) => void }) {
  const app = useApp();
  const [name, setName] = useState(hook.name);
  const [timeoutMs, setTimeoutMs] = useState(String(hook.timeoutMs));
  const [retries, setRetries] = useState(String(hook.retries));
  const [envVarNames, setEnvVarNames] = useState(hook.envVarNames.join(', '));
  const [conditions, setConditions] = useState<Condition[]>(hook.conditions);
  const [options, setOptions] = useState(JSON.stringify(hook.options, null, 2));
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const editable = app.can('update:hooks');

  async function save(event: Event) {
    event.preventDefault();
    setStatus('');
    let parsedOptions: unknown;
    try {
      parsedOptions = JSON.parse(options);
    } catch {
      return setError({ __typename: 'OptionsError', message: 'Options must be a JSON object' });
    }
    const input = {
      id: hook.id,
      name,
      timeoutMs: Number(timeoutMs),
      retries: Number(retries),
      envVarNames: envVarNames.split(',').map((s) => s.trim()).filter(Boolean),
      conditions,
      options: parsedOptions,
    };
    const outcome = await mutate<{ hook: Hook }>(app.clients.http, UPDATE_HOOK, { input }, 'updateHook');
    if (outcome.error) return setError(outcome.error);
    setError(null);
    setStatus('Settings saved');
    onSaved(outcome.ok.hook);
  }

  const setCondition = (index: number, change: Partial<Condition>) => setConditions((all) => all.map((c, i) => (i === index ? { ...c, ...change } : c)));
  return (
    <form class="stack settings" onSubmit={save}>
      <fieldset disabled={!editable}>
        <legend>Settings</legend>
        <label>
          Name
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Timeout (ms, at most {hook.trigger.timeoutCeilingMs})
          <input type="number" min={1} max={hook.trigger.timeoutCeilingMs} value={timeoutMs} onInput={(e) => setTimeoutMs(e.currentTarget.value)} />
        </label>
        <label>
          Retries (0–4, async dispatches only)
          <input type="number" min={0} max={4} value={retries} onInput={(e) => setRetries(e.currentTarget.value)} />
        </label>
        <label>
          Env var names (comma-separated; tenant env vars this hook reads)
          <input value={envVarNames} onInput={(e) => setEnvVarNames(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>Conditions (the hook runs only when all hold)</legend>
          {conditions.map((c, i) => (
            <div class="filters" key={i}>
              <label>
                Source
                <select value={c.source} onChange={(e) => setCondition(i, { source: e.currentTarget.value })}>
                  <option value="roles">roles</option>
                </select>
              </label>
              <label>
                Operator
                <select value={c.operator} onChange={(e) => setCondition(i, { operator: e.currentTarget.value })}>
                  <option value="~">has the role (~)</option>
                  <option value="!~">has not the role (!~)</option>
                </select>
              </label>
              <label>
                Role id
                <input value={c.value} onInput={(e) => setCondition(i, { value: e.currentTarget.value })} />
              </label>
              <button type="button" class="secondary" onClick={() => setConditions((all) => all.filter((_, j) => j !== i))}>
                Remove condition {i + 1}
              </button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => setConditions((all) => [...all, { source: 'roles', operator: '~', value: '' }])}>
            Add condition
          </button>
        </fieldset>
        <span class="label">Options (JSON: optional context parts the trigger passes)</span>
        <CodeEditor label="Options" value={options} language="json" readOnly={!editable} onChange={setOptions} />
        <button type="submit">Save settings</button>
      </fieldset>
      <ErrorMessage error={error} />
      <p role="status">{status}</p>
    </form>
  );
}
