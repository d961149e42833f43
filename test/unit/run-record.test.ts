import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionRow } from '../../src/db/schema.ts';
import type { ExecutionStore } from '../../src/services/execution-store.ts';
import { RunRecord, UNWRITTEN_START_MS } from '../../src/services/run-record.ts';

const draft: Omit<ExecutionRow, 'id'> = {
  tenantId: 't', hookId: 'h', versionId: 'v', triggerId: 'pre-user-registration', status: 'RUNNING', source: 'DISPATCH', attempts: 0,
  payload: {}, response: null, effectiveResponse: null, outcome: null, warnings: [], error: null, logsTruncated: false, durationMs: null,
  cpuTimeMs: null, pendingInput: null, createdAt: 1, startedAt: 1, finishedAt: null,
};
const ended = { status: 'SUCCEEDED', attempts: 1, response: { ok: true }, durationMs: 2, finishedAt: 3 } as const;

/** A store that keeps what it is asked to write, in order; `hookGone` refuses inserts as a deleted hook would. */
function fakeStore() {
  const writes: string[] = [];
  const rows = new Map<string, ExecutionRow>();
  let hookGone = false;
  const store = {
    insertUnlessHookGone(row: ExecutionRow) {
      if (hookGone) return undefined;
      writes.push(`insert ${row.status}`);
      rows.set(row.id, row);
      return row;
    },
    update(id: string, changes: Partial<ExecutionRow>, current: ExecutionRow) {
      if (!rows.has(id)) return undefined;
      writes.push(`update ${changes.status}`);
      const row = { ...current, ...changes };
      rows.set(id, row);
      return row;
    },
    appendLog(id: string, line: { message: string }) {
      writes.push(`log ${rows.has(id) ? line.message : 'of nothing'}`);
    },
  };
  return { store: store as unknown as ExecutionStore, writes, rows, goneHook: () => (hookGone = true) };
}

/** Where a record reports a start it could not write: no test here expects one, but the last. */
const fail = (error: unknown) => {
  throw new Error(`unexpected: ${String(error)}`);
};

describe('RunRecord', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes a run that ends at once as one row, ended', () => {
    const { store, writes, rows } = fakeStore();
    const record = RunRecord.unwritten(store, draft, fail);
    vi.advanceTimersByTime(UNWRITTEN_START_MS - 1);
    expect(writes).toEqual([]);
    const row = record.update(ended);
    expect(writes).toEqual(['insert SUCCEEDED']);
    expect(row).toMatchObject({ ...ended, createdAt: 1, startedAt: 1 });
    expect(rows.get(row!.id)).toEqual(row);
    // Its timer is gone with it.
    vi.advanceTimersByTime(UNWRITTEN_START_MS);
    expect(writes).toEqual(['insert SUCCEEDED']);
  });

  it('writes a run still going after UNWRITTEN_START_MS as RUNNING, then its end over it', () => {
    const { store, writes } = fakeStore();
    const record = RunRecord.unwritten(store, draft, fail);
    vi.advanceTimersByTime(UNWRITTEN_START_MS);
    expect(writes).toEqual(['insert RUNNING']);
    const started = record.written()!;
    expect(record.update(ended)).toMatchObject({ id: started.id, status: 'SUCCEEDED' });
    expect(writes).toEqual(['insert RUNNING', 'update SUCCEEDED']);
  });

  it('writes the start before a console line, so the line has its execution', () => {
    const { store, writes } = fakeStore();
    const record = RunRecord.unwritten(store, draft, fail);
    record.appendLog({ level: 'LOG', message: 'hello', time: 2 });
    record.update(ended);
    vi.advanceTimersByTime(UNWRITTEN_START_MS);
    expect(writes).toEqual(['insert RUNNING', 'log hello', 'update SUCCEEDED']);
  });

  it('draws the id when the row is written, so ids follow the order rows are stored in', () => {
    const { store } = fakeStore();
    const first = RunRecord.unwritten(store, draft, fail);
    const second = RunRecord.unwritten(store, draft, fail);
    const secondRow = second.update(ended)!;
    const firstRow = first.update(ended)!;
    expect(firstRow.id > secondRow.id).toBe(true);
  });

  it('answers undefined, and writes nothing more, once the hook is gone', () => {
    const { store, writes, goneHook } = fakeStore();
    const record = RunRecord.unwritten(store, draft, fail);
    goneHook();
    vi.advanceTimersByTime(UNWRITTEN_START_MS);
    record.appendLog({ level: 'LOG', message: 'hello', time: 2 });
    expect(record.update(ended)).toBeUndefined();
    expect(writes).toEqual([]);
  });

  it('never writes a run closed unwritten (its end was not recorded: an error of the service), not even for a late line', () => {
    const { store, writes } = fakeStore();
    const record = RunRecord.unwritten(store, draft, fail);
    record.close();
    vi.advanceTimersByTime(UNWRITTEN_START_MS);
    record.appendLog({ level: 'LOG', message: 'late', time: 2 });
    expect(writes).toEqual([]);
  });

  it('reports a start it could not write, and writes the run at its end', () => {
    const { store, writes } = fakeStore();
    const insert = store.insertUnlessHookGone.bind(store);
    store.insertUnlessHookGone = () => {
      throw new Error('SQLITE_IOERR');
    };
    const errors: unknown[] = [];
    const record = RunRecord.unwritten(store, draft, (error) => errors.push(error));
    vi.advanceTimersByTime(UNWRITTEN_START_MS);
    expect(errors.map(String)).toEqual(['Error: SQLITE_IOERR']);
    store.insertUnlessHookGone = insert;
    expect(record.update(ended)).toMatchObject({ status: 'SUCCEEDED' });
    expect(writes).toEqual(['insert SUCCEEDED']);
  });

  it('writes its row again, changed, when the group that held it was lost', () => {
    const { store, writes, rows } = fakeStore();
    const record = RunRecord.unwritten(store, draft, fail);
    const row = record.update(ended)!;
    rows.delete(row.id);
    const failed = record.rewrite({ status: 'FAILED', error: { name: 'StorageError', message: 'lost' } });
    expect(failed).toMatchObject({ id: row.id, status: 'FAILED', attempts: 1, error: { name: 'StorageError' } });
    expect(writes).toEqual(['insert SUCCEEDED', 'insert FAILED']);
  });

  it('never writes again a row it did not write (a queued run whose hook is gone)', () => {
    const { store, writes } = fakeStore();
    const record = RunRecord.of(store, { ...draft, id: 'q', status: 'QUEUED' } as ExecutionRow);
    expect(record.rewrite({ status: 'FAILED' })).toBeUndefined();
    expect(writes).toEqual([]);
  });

  it('updates an execution already stored in place', () => {
    const { store, writes, rows } = fakeStore();
    const queued = { ...draft, id: 'q', status: 'QUEUED' } as ExecutionRow;
    rows.set('q', queued);
    const record = RunRecord.of(store, queued);
    record.update({ status: 'RUNNING' });
    vi.advanceTimersByTime(UNWRITTEN_START_MS);
    expect(record.update(ended)).toMatchObject({ id: 'q', status: 'SUCCEEDED' });
    expect(writes).toEqual(['update RUNNING', 'update SUCCEEDED']);
  });
});
