import { useState } from 'preact/hooks';
import { mutate, useApp } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Table } from '../components/table.tsx';
import { DELETE_SECRETS, SET_SECRETS } from '../documents.ts';
import type { ApiError, Hook } from '../types.ts';

/** Secret names only: values are write-only, set here and never shown again. */
export function HookSecrets({ hook, onChanged }: { hook: Hook; onChanged: (hook: Hook) => void }) {
  const app = useApp();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const editable = app.can('update:hooks');

  async function change(document: string, input: Record<string, unknown>, field: string, done: string) {
    setError(null);
    const outcome = await mutate<{ hook: Pick<Hook, 'secrets'> }>(app.clients.http, document, { input: { hookId: hook.id, ...input } }, field);
    if (outcome.error) return setError(outcome.error);
    onChanged({ ...hook, secrets: outcome.ok.hook.secrets });
    setStatus(done);
    return true;
  }

  return (
    <div class="stack">
      <p class="hint">
        Hooks read them as <code>context.webtask.secrets.NAME</code> (Auth0) or <code>process.env.NAME</code> (OneLogin). Values are never shown, and are masked
        wherever a run's output is stored.
      </p>
      <Table
        caption={`Secrets of ${hook.name}`}
        rows={hook.secrets}
        rowKey={(s) => s.name}
        empty="No secrets."
        columns={[
          { header: 'Name', cell: (s) => <code>{s.name}</code> },
          { header: 'Set', cell: (s) => new Date(s.updatedAt).toLocaleString() },
          {
            header: 'Action',
            cell: (s) =>
              editable && (
                <button type="button" class="danger" onClick={() => void change(DELETE_SECRETS, { names: [s.name] }, 'deleteHookSecrets', `Deleted ${s.name}`)}>
                  Delete {s.name}
                </button>
              ),
          },
        ]}
      />
      {editable && (
        <form
          class="filters"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await change(SET_SECRETS, { secrets: [{ name, value }] }, 'setHookSecrets', `Set ${name}`)) {
              setName('');
              setValue('');
            }
          }}
        >
          <label>
            Secret name
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Value
            <input required type="password" autocomplete="new-password" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
          </label>
          <button type="submit">Set secret</button>
        </form>
      )}
      <ErrorMessage error={error} />
      <p role="status">{status}</p>
    </div>
  );
}
