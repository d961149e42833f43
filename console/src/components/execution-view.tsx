import { useEffect, useState } from 'preact/hooks';
import { useApp, useQuery, useSubscription } from '../api.ts';
import { EXECUTION, EXECUTION_LOGS, EXECUTION_UPDATED } from '../documents.ts';
import { href } from '../router.ts';
import { ENDED_STATUSES, type Execution, type ExecutionRow, type LogLine } from '../types.ts';
import { ErrorMessage, JsonBlock } from './error-message.tsx';

/** Hours to milliseconds: lines of one run are often within the same second. */
const clockTime = (iso: string) => {
  const time = new Date(iso);
  return `${time.toLocaleTimeString(undefined, { hour12: false })}.${String(time.getMilliseconds()).padStart(3, '0')}`;
};

/**
 * One execution: its console lines followed live through executionLogs (the stored lines, then
 * new ones, until the run ends), and its result, read again once the line stream completes.
 */
export function ExecutionView({ id, showPayload = true }: { id: string; showPayload?: boolean }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [ended, setEnded] = useState(false);
  const [streamError, setStreamError] = useState<string | null>(null);
  const withHook = useApp().can('read:hooks');
  const { data, error, reload } = useQuery<{ execution: Execution | null }>(EXECUTION, { id, withHook });
  useEffect(() => {
    setLines([]);
    setEnded(false);
    setStreamError(null);
  }, [id]);
  useSubscription<{ executionLogs: LogLine }>(EXECUTION_LOGS, { id }, {
    next: ({ executionLogs }) => setLines((all) => (all.some((l) => l.seq === executionLogs.seq) ? all : [...all, executionLogs])),
    complete: () => {
      setEnded(true);
      reload();
    },
    error: setStreamError,
  });

  // A queued run that starts, or one that ends, changes status: shown as it changes.
  const [live, setLive] = useState<ExecutionRow | null>(null);
  // Narrowed to the run's hook, or to its trigger for a token that cannot read hooks.
  const known = data?.execution;
  const filter = known ? (known.hook ? { hookId: known.hook.id } : { triggerId: known.triggerId }) : null;
  useSubscription<{ executionUpdated: ExecutionRow }>(EXECUTION_UPDATED, filter ? { filter, withHook } : null, {
    next: ({ executionUpdated }) => {
      if (executionUpdated.id === id) setLive(executionUpdated);
    },
  });

  const execution = data?.execution;
  if (error) return <ErrorMessage error={error} />;
  if (data && !execution) return <p>No such execution.</p>;
  // The stream ends when the run does; the execution is then read again for its end.
  const status = (live && execution && !ENDED_STATUSES.has(execution.status) ? live.status : execution?.status) ?? '…';
  const done = execution && ENDED_STATUSES.has(execution.status);
  return (
    <div class="execution" aria-busy={!done}>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <span class={`status ${status}`} data-testid="execution-status">
            {status}
          </span>
        </dd>
        {execution && (
          <>
            {execution.hook && (
              <>
                <dt>Hook</dt>
                <dd>
                  <a href={href('hooks', execution.hook.id, 'editor')}>{execution.hook.name}</a>
                  {execution.hookVersion ? ` v${execution.hookVersion.version}` : ' (draft)'}
                </dd>
              </>
            )}
            <dt>Trigger</dt>
            <dd>{execution.triggerId}</dd>
            <dt>Source</dt>
            <dd>{execution.source}</dd>
            <dt>Started</dt>
            <dd>{execution.startedAt ? new Date(execution.startedAt).toLocaleString() : '—'}</dd>
          </>
        )}
        {done && (
          <>
            <dt>Outcome</dt>
            <dd>{execution.outcome ?? '—'}</dd>
            <dt>Duration</dt>
            <dd>{execution.durationMs ?? '—'} ms</dd>
            <dt>CPU time</dt>
            <dd>{execution.cpuTimeMs ?? '—'} ms</dd>
            <dt>Attempts</dt>
            <dd>{execution.attempts}</dd>
          </>
        )}
      </dl>
      <h3 id={`logs-${id}`}>Console</h3>
      <ol class="log" aria-labelledby={`logs-${id}`} aria-live="polite" data-testid="log-lines" tabIndex={0}>
        {lines.map((line) => (
          <li key={line.seq} class={`level-${line.level}`}>
            <time dateTime={line.time}>{clockTime(line.time)}</time> <span class="level">{line.level}</span> {line.message}
          </li>
        ))}
        {lines.length === 0 && <li class="muted">{ended ? 'No lines.' : 'Waiting for lines…'}</li>}
      </ol>
      {execution?.logsTruncated && <p class="hint">The run wrote more lines than are kept; the rest were cut.</p>}
      {streamError && <p role="alert" class="error">Live lines stopped: {streamError}</p>}
      {done && (
        <div data-testid="execution-result">
          {execution.error && (
            <div role="alert" class="error">
              <p>
                <strong>{execution.error.name}</strong>
                {execution.error.line ? ` at line ${execution.error.line}` : ''}: {execution.error.message}
              </p>
              {execution.error.userMessage && <p>Message for the user: {execution.error.userMessage}</p>}
            </div>
          )}
          {execution.warnings.length > 0 && (
            <>
              <h3>Warnings</h3>
              <ul class="warnings">
                {execution.warnings.map((w) => (
                  <li key={w.path}>
                    <code>{w.path}</code>: {w.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div class="columns">
            <div>
              <h3>Response</h3>
              <JsonBlock value={execution.response} label="Response" />
            </div>
            <div>
              <h3>Effective response</h3>
              <JsonBlock value={execution.effectiveResponse} label="Effective response" />
            </div>
          </div>
        </div>
      )}
      {showPayload && execution && (
        <>
          <h3>Payload</h3>
          <JsonBlock value={execution.payload} label="Payload" />
        </>
      )}
    </div>
  );
}
