import { useState } from 'preact/hooks';
import { useApp, useQuery } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { TriggerOptions } from '../components/trigger-options.tsx';
import { Pager, Table, type Column } from '../components/table.tsx';
import { usePages } from '../components/use-pages.ts';
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

const COLUMNS: Column<HookRow>[] = [
  { header: 'Name', cell: (hook) => <a href={href('hooks', hook.id, 'editor')}>{hook.name}</a> },
  { header: 'Trigger', cell: (hook) => hook.triggerId },
  { header: 'State', cell: (hook) => (hook.enabled ? <span class="badge on">enabled</span> : <span class="badge">disabled</span>) },
  { header: 'Version', cell: (hook) => hook.version },
  { header: 'Updated', cell: (hook) => new Date(hook.updatedAt).toLocaleString() },
];

/** Hooks per trigger, a Relay page at a time, filtered by name and enabled state. */
export function HooksList({ params }: { params: URLSearchParams }) {
  const app = useApp();
  const triggerId = params.get('trigger') ?? '';
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState('');
  const pages = usePages();
  const filter = { triggerId: triggerId || undefined, nameContains: name || undefined, enabled: enabled === '' ? undefined : enabled === 'true' };
  const { data, error, loading } = useQuery<{ hooks: { edges: { node: HookRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(HOOKS, {
    first: PAGE_SIZE,
    after: pages.after,
    filter,
  });
  const trigger = app.triggers.find((t) => t.id === triggerId);
  const resetPages = pages.reset;

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
            <TriggerOptions triggers={app.triggers} />
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
      <Table
        caption={`Hooks${trigger ? ` of ${trigger.id}` : ''}`}
        columns={COLUMNS}
        rows={data?.hooks.edges.map((e) => e.node) ?? []}
        rowKey={(hook) => hook.id}
        empty="No hooks match."
        loaded={!!data}
        busy={loading}
      />
      <Pager
        label="Pages of hooks"
        previous="Previous page"
        next="Next page"
        pages={pages}
        pageInfo={data?.hooks.pageInfo}
      />
    </section>
  );
}
