import { useEffect, useState } from 'preact/hooks';
import { useApp, useQuery, useSubscription } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { HookPicker } from '../components/hook-picker.tsx';
import { Pager, Table, type Column } from '../components/table.tsx';
import { TriggerOptions } from '../components/trigger-options.tsx';
import { usePages } from '../components/use-pages.ts';
import { EXECUTION_UPDATED, EXECUTIONS } from '../documents.ts';
import { href } from '../router.ts';
import type { ExecutionRow } from '../types.ts';

const PAGE_SIZE = 25;
const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'MEMORY_LIMIT_EXCEEDED'];

/** `datetime-local` text (local time) to the API's DateTime, or undefined. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

const STARTED: Column<ExecutionRow> = { header: 'Started', cell: (row) => <a href={href('executions', row.id)}>{new Date(row.createdAt).toLocaleString()}</a> };
const HOOK: Column<ExecutionRow> = { header: 'Hook', cell: (row) => row.hook?.name ?? '—' };
const OTHER_COLUMNS: Column<ExecutionRow>[] = [
  { header: 'Trigger', cell: (row) => row.triggerId },
  { header: 'Source', cell: (row) => row.source },
  { header: 'Status', cell: (row) => <span class={`status ${row.status}`}>{row.status}</span> },
  { header: 'Duration', cell: (row) => (row.durationMs === null ? '—' : `${row.durationMs} ms`) },
];

/**
 * Executions newest first, with the API's filters; the first page updates live (executionUpdated).
 * Hooks (their names, the hook picker) need read:hooks: a log viewer's token lists and filters
 * without them.
 */
export function Executions({ params }: { params: URLSearchParams }) {
  const app = useApp();
  const withHook = app.can('read:hooks');
  const columns = withHook ? [STARTED, HOOK, ...OTHER_COLUMNS] : [STARTED, ...OTHER_COLUMNS];
  const [hookId, setHookId] = useState(params.get('hook') ?? '');
  const [triggerId, setTriggerId] = useState('');
  const [status, setStatus] = useState('');
  const [source, setSource] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const pages = usePages();
  const after = pages.after;
  const filter = { hookId: hookId || undefined, triggerId: triggerId || undefined, status: status || undefined, source: source || undefined, since: isoOf(since), until: isoOf(until) };
  const { data, error } = useQuery<{ executions: { edges: { node: ExecutionRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(EXECUTIONS, {
    first: PAGE_SIZE,
    after,
    filter,
    withHook,
  });
  const [rows, setRows] = useState<ExecutionRow[]>([]);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  useEffect(() => setRows(data?.executions.edges.map((e) => e.node) ?? []), [data]);

  // Only the first page takes new runs; any page takes status changes of the rows it shows.
  const live = { hookId: filter.hookId, triggerId: filter.triggerId, status: filter.status };
  useSubscription<{ executionUpdated: ExecutionRow }>(EXECUTION_UPDATED, { filter: live, withHook }, {
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
  const reset = <T,>(set: (v: T) => void) => (v: T) => (set(v), pages.reset());

  return (
    <section aria-labelledby="executions-title">
      <h1 id="executions-title">Executions</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter executions">
        {withHook ? (
          <HookPicker label="Hook" hookId={hookId} onChange={reset(setHookId)} />
        ) : (
          hookId && (
            <p class="hint">
              The runs of one hook only. <a href={href('executions')}>All runs</a>
            </p>
          )
        )}
        <label>
          Trigger
          {app.triggers.length > 0 ? (
            <select value={triggerId} onChange={(e) => reset(setTriggerId)(e.currentTarget.value)}>
              <TriggerOptions triggers={app.triggers} />
            </select>
          ) : (
            // No catalogue without read:hooks: the trigger id is typed.
            <input type="text" placeholder="All triggers" spellcheck={false} value={triggerId} onChange={(e) => reset(setTriggerId)(e.currentTarget.value.trim())} />
          )}
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
      <Table
        caption="Executions, newest first, updating live"
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        rowClass={(row) => (fresh.has(row.id) ? 'fresh' : undefined)}
        empty="No executions match."
        loaded={!!data}
        live
        testId="executions"
      />
      <Pager
        label="Pages of executions"
        previous="Newer"
        next="Older"
        pages={pages}
        pageInfo={data?.executions.pageInfo}
      />
    </section>
  );
}
