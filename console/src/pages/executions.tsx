import { useEffect, useState } from 'preact/hooks';
import { useApp, useQuery, useSubscription } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { EXECUTION_UPDATED, EXECUTIONS, HOOKS } from '../documents.ts';
import { href } from '../router.ts';
import type { ExecutionRow } from '../types.ts';

const PAGE_SIZE = 25;
const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'MEMORY_LIMIT_EXCEEDED'];

/** `datetime-local` text (local time) to the API's DateTime, or undefined. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Executions newest first, with the API's filters; the first page updates live (executionUpdated). */
export function Executions({ params }: { params: URLSearchParams }) {
  const app = useApp();
  const [hookId, setHookId] = useState(params.get('hook') ?? '');
  const [triggerId, setTriggerId] = useState('');
  const [status, setStatus] = useState('');
  const [source, setSource] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const after = cursors.length > 0 ? cursors[cursors.length - 1] : null;
  const filter = { hookId: hookId || undefined, triggerId: triggerId || undefined, status: status || undefined, source: source || undefined, since: isoOf(since), until: isoOf(until) };
  const { data, error } = useQuery<{ executions: { edges: { node: ExecutionRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(EXECUTIONS, {
    first: PAGE_SIZE,
    after,
    filter,
  });
  const hooks = useQuery<{ hooks: { edges: { node: { id: string; name: string } }[] } }>(HOOKS, { first: 100 });
  const [rows, setRows] = useState<ExecutionRow[]>([]);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  useEffect(() => setRows(data?.executions.edges.map((e) => e.node) ?? []), [data]);

  // Only the first page takes new runs; any page takes status changes of the rows it shows.
  const live = { hookId: filter.hookId, triggerId: filter.triggerId, status: filter.status };
  useSubscription<{ executionUpdated: ExecutionRow }>(EXECUTION_UPDATED, { filter: live }, {
    next: ({ executionUpdated: row }) => {
      if (source && row.source !== source) return;
      const known = rows.some((r) => r.id === row.id);
      if (known) return setRows((all) => all.map((r) => (r.id === row.id ? row : r)));
      // A new run belongs at the top of the newest page, unless the time range ends before now.
      if (after !== null || until) return;
      setFresh((f) => new Set(f).add(row.id));
      setRows((all) => (all.some((r) => r.id === row.id) ? all : [row, ...all].slice(0, PAGE_SIZE)));
    },
  });
  const reset = <T,>(set: (v: T) => void) => (v: T) => (set(v), setCursors([]));

  return (
    <section aria-labelledby="executions-title">
      <h1 id="executions-title">Executions</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter executions">
        <label>
          Hook
          <select value={hookId} onChange={(e) => reset(setHookId)(e.currentTarget.value)}>
            <option value="">All hooks</option>
            {hooks.data?.hooks.edges.map(({ node }) => (
              <option key={node.id} value={node.id}>
                {node.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trigger
          <select value={triggerId} onChange={(e) => reset(setTriggerId)(e.currentTarget.value)}>
            <option value="">All triggers</option>
            {app.triggers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => reset(setStatus)(e.currentTarget.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Source
          <select value={source} onChange={(e) => reset(setSource)(e.currentTarget.value)}>
            <option value="">Any source</option>
            <option value="RUNNER">Runner</option>
            <option value="DISPATCH">Pipeline</option>
          </select>
        </label>
        <label>
          Since
          <input type="datetime-local" value={since} onInput={(e) => reset(setSince)(e.currentTarget.value)} />
        </label>
        <label>
          Until
          <input type="datetime-local" value={until} onInput={(e) => reset(setUntil)(e.currentTarget.value)} />
        </label>
      </form>
      <ErrorMessage error={error} />
      <table data-testid="executions">
        <caption class="sr-only">Executions, newest first, updating live</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Hook</th>
            <th scope="col">Trigger</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody aria-live="polite">
          {rows.map((row) => (
            <tr key={row.id} class={fresh.has(row.id) ? 'fresh' : undefined}>
              <td>
                <a href={href('executions', row.id)}>{new Date(row.createdAt).toLocaleString()}</a>
              </td>
              <td>{row.hook.name}</td>
              <td>{row.triggerId}</td>
              <td>{row.source}</td>
              <td>
                <span class={`status ${row.status}`}>{row.status}</span>
              </td>
              <td>{row.durationMs === null ? '—' : `${row.durationMs} ms`}</td>
            </tr>
          ))}
          {data && rows.length === 0 && (
            <tr>
              <td colSpan={6}>No executions match.</td>
            </tr>
          )}
        </tbody>
      </table>
      <nav class="pager" aria-label="Pages of executions">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!data?.executions.pageInfo.hasNextPage} onClick={() => setCursors((c) => [...c, data!.executions.pageInfo.endCursor])}>
          Older
        </button>
      </nav>
    </section>
  );
}
