import { useState } from 'preact/hooks';
import { mutate, useApp, useQuery } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { DELETE_ENV_VAR, ENV_VARS, SET_ENV_VAR } from '../documents.ts';
import type { ApiError } from '../types.ts';

/** Tenant-wide env vars (OneLogin): names only, values write-only. */
export function EnvVars() {
  const app = useApp();
  const { data, error, reload } = useQuery<{ envVars: { name: string; updatedAt: string }[] }>(ENV_VARS, {});
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<ApiError | null>(null);
  const editable = app.can('update:hooks');

  async function run(document: string, variables: Record<string, unknown>, field: string) {
    setProblem(null);
    const outcome = await mutate(app.clients.http, document, variables, field);
    if (outcome.error) return setProblem(outcome.error), false;
    reload();
    return true;
  }

  return (
    <section aria-labelledby="env-title" class="stack">
      <h1 id="env-title">Env vars</h1>
      <p class="hint">
        Read by hooks that list them in their settings, as <code>process.env.NAME</code>. Values are never shown.
      </p>
      <ErrorMessage error={error ?? problem} />
      <ul class="names">
        {data?.envVars.map((v) => (
          <li key={v.name}>
            <code>{v.name}</code> <span class="muted">{new Date(v.updatedAt).toLocaleString()}</span>{' '}
            {editable && (
              <button type="button" class="danger" onClick={() => void run(DELETE_ENV_VAR, { name: v.name }, 'deleteEnvVar')}>
                Delete {v.name}
              </button>
            )}
          </li>
        ))}
        {data?.envVars.length === 0 && <li>No env vars.</li>}
      </ul>
      {editable && (
        <form
          class="filters"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await run(SET_ENV_VAR, { input: { name, value } }, 'setEnvVar')) {
              setName('');
              setValue('');
            }
          }}
        >
          <label>
            Env var name
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Value
            <input required type="password" autocomplete="new-password" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
          </label>
          <button type="submit">Set env var</button>
        </form>
      )}
    </section>
  );
}
