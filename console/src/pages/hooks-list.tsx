import { useState } from 'preact/hooks';
import { useApp, useQuery } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { HOOKS } from '../documents.ts';
import { href, navigate } from '../router.ts';

const PAGE_SIZE = 20;

interface HookRow {
  id: string;
  name: string;
  triggerId: string;
  enabled: boolean;
  version: number;
  updatedAt: string;
}

/** Hooks per trigger, a Relay page at a time, filtered by name and enabled state. */
export function HooksList({ params }: { params: URLSearchParams }) {
  const app = useApp();
  const triggerId = params.get('trigger') ?? '';
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState('');
  // Cursors of the pages before this one, to go back; `after` of this page.
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const after = cursors.length > 0 ? cursors[cursors.length - 1] : null;
  const filter = { triggerId: triggerId || undefined, nameContains: name || undefined, enabled: enabled === '' ? undefined : enabled === 'true' };
  const { data, error, loading } = useQuery<{ hooks: { edges: { node: HookRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(HOOKS, {
    first: PAGE_SIZE,
    after,
    filter,
  });
  const trigger = app.triggers.find((t) => t.id === triggerId);
  const resetPages = () => setCursors([]);

  return (
    <section aria-labelledby="hooks-title">
      <div class="title-row">
        <h1 id="hooks-title">Hooks</h1>
        {app.can('create:hooks') && (
          <a class="button" href={href('hooks', 'new', { trigger: triggerId || undefined })}>
            New hook
          </a>
        )}
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter hooks">
        <label>
          Trigger
          <select
            value={triggerId}
            onChange={(e) => {
              resetPages();
              navigate(href('hooks', { trigger: e.currentTarget.value || undefined }));
            }}
          >
            <option value="">All triggers</option>
            {app.triggers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name contains
          <input type="search" value={name} onInput={(e) => (setName(e.currentTarget.value), resetPages())} />
        </label>
        <label>
          State
          <select value={enabled} onChange={(e) => (setEnabled(e.currentTarget.value), resetPages())}>
            <option value="">Enabled or not</option>
            <option value="true">Enabled</option>
            <option value="false">Disabled</option>
          </select>
        </label>
      </form>
      {trigger && (
        <p class="hint">
          {trigger.description} {trigger.blocking ? 'Blocking: the pipeline waits for it.' : 'Async: the pipeline does not wait.'} At most{' '}
          {trigger.maxEnabledHooks} enabled hook{trigger.maxEnabledHooks === 1 ? '' : 's'}.
        </p>
      )}
      <ErrorMessage error={error} />
      <table aria-busy={loading}>
        <caption class="sr-only">Hooks{trigger ? ` of ${trigger.id}` : ''}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Trigger</th>
            <th scope="col">State</th>
            <th scope="col">Version</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {data?.hooks.edges.map(({ node }) => (
            <tr key={node.id}>
              <td>
                <a href={href('hooks', node.id, 'editor')}>{node.name}</a>
              </td>
              <td>{node.triggerId}</td>
              <td>{node.enabled ? <span class="badge on">enabled</span> : <span class="badge">disabled</span>}</td>
              <td>{node.version}</td>
              <td>{new Date(node.updatedAt).toLocaleString()}</td>
            </tr>
          ))}
          {data && data.hooks.edges.length === 0 && (
            <tr>
              <td colSpan={5}>No hooks match.</td>
            </tr>
          )}
        </tbody>
      </table>
      <nav class="pager" aria-label="Pages of hooks">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!data?.hooks.pageInfo.hasNextPage} onClick={() => setCursors((c) => [...c, data!.hooks.pageInfo.endCursor])}>
          Next page
        </button>
      </nav>
    </section>
  );
}
