import { useEffect, useState } from 'preact/hooks';
import { mutate, useApp, useQuery } from '../api.ts';
import { DiffView } from '../components/diff-view.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Table } from '../components/table.tsx';
import { ROLLBACK_HOOK, VERSIONS } from '../documents.ts';
import type { ApiError, Hook } from '../types.ts';

interface Version {
  id: string;
  version: number;
  createdAt: string;
  script: string;
}

/** The hook's versions: a diff between any two, and a rollback to an earlier one. */
export function HookVersions({ hook, onRolledBack }: { hook: Hook; onRolledBack: () => void }) {
  const app = useApp();
  const { data, error, reload } = useQuery<{ hook: { versions: Version[] } | null }>(VERSIONS, { id: hook.id, v: hook.version });
  const versions = data?.hook?.versions ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    // Default: the current version against the one before it.
    setTo(hook.version);
    setFrom(hook.version > 1 ? hook.version - 1 : hook.version);
  }, [hook.version]);

  async function rollback(version: number) {
    setProblem(null);
    const outcome = await mutate<{ hook: { version: number } }>(app.clients.http, ROLLBACK_HOOK, { hookId: hook.id, version }, 'rollbackHook');
    if (outcome.error) return setProblem(outcome.error);
    setStatus(`Rolled back to version ${version}: now version ${outcome.ok.hook.version}`);
    reload();
    onRolledBack();
  }

  const before = versions.find((v) => v.version === from);
  const after = versions.find((v) => v.version === to);
  const pick = (label: string, value: number | null, set: (n: number) => void) => (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => set(Number(e.currentTarget.value))}>
        {versions.map((v) => (
          <option key={v.id} value={v.version}>
            Version {v.version}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div class="stack">
      <ErrorMessage error={error ?? problem} />
      <p role="status">{status}</p>
      <Table
        caption={`Versions of ${hook.name}`}
        rows={versions}
        rowKey={(v) => v.id}
        columns={[
          { header: 'Version', cell: (v) => `${v.version}${v.version === hook.version ? ' (current)' : ''}` },
          { header: 'Saved', cell: (v) => new Date(v.createdAt).toLocaleString() },
          {
            header: 'Action',
            cell: (v) =>
              v.version !== hook.version &&
              app.can('update:hooks') && (
                <button type="button" onClick={() => void rollback(v.version)}>
                  Roll back to version {v.version}
                </button>
              ),
          },
        ]}
      />
      <h2>Compare</h2>
      <div class="filters">
        {pick('From', from, setFrom)}
        {pick('To', to, setTo)}
      </div>
      {before && after && <DiffView before={before.script} after={after.script} beforeLabel={`Version ${before.version}`} afterLabel={`Version ${after.version}`} />}
    </div>
  );
}
