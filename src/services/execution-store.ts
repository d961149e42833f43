import { and, asc, eq, getTableColumns, gt, inArray, max, sql, type SQL } from 'drizzle-orm';
import { executionLogs, executions, type ExecutionLogRow, type ExecutionRow } from '../db/schema.ts';
import type { LogLine } from '../sandbox/types.ts';
import type { ServiceDeps } from './deps.ts';
import type { Events } from './events.ts';

export type ExecutionStore = ReturnType<typeof createExecutionStore>;

/** The error of a run the service stopped under (recorded at the stop's deadline, or at the next start). */
export const INTERRUPTED_ERROR = { name: 'Interrupted', message: 'The service stopped while this run was in progress' } as const;

const executionColumns = getTableColumns(executions);
const logColumns = getTableColumns(executionLogs);
type Columns = Record<string, { mapToDriverValue(value: unknown): unknown }>;

/** Statement shapes of `update` kept prepared; callers use a handful (start, end, retention…). */
const MAX_PREPARED_UPDATES = 32;

/**
 * Prepared statements bind raw placeholders: each value goes through its column's own encoder
 * here, exactly as Drizzle encodes an inline value (null stays SQL NULL, JSON is stringified,
 * booleans become 0/1), so the rows written are the same as with a query built per call.
 */
function placeholders(keys: readonly string[]): Record<string, SQL> {
  return Object.fromEntries(keys.map((key) => [key, sql`${sql.placeholder(key)}`]));
}

function bind(columns: Columns, keys: readonly string[], values: Record<string, unknown>, into: Record<string, unknown> = {}) {
  for (const key of keys) {
    const value = values[key];
    into[key] = value === null ? null : columns[key]!.mapToDriverValue(value);
  }
  return into;
}

/** A write refused because the row it belongs to is gone (a hook deleted while its run went on). */
function hookGone(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Writes of executions and their lines, each followed by its live event once committed. The writes
 * join the group commit (db/group-commit.ts); when a run's start is written is run-record.ts's call.
 */
export function createExecutionStore({ db, clock }: ServiceDeps, events: Events) {
  const nextSeq = new Map<string, number>();
  // Lines of a group that failed are gone: their numbers are read again from what is stored.
  db.$group.onRollback(() => nextSeq.clear());
  /** Live events tell of committed writes only (the writes here are group-committed). */
  const announce: Events['publish'] = (...event) => db.$group.afterCommit(() => events.publish(...event));

  // The statements of every run, prepared once instead of built and compiled per call.
  const executionKeys = Object.keys(executionColumns);
  const insertExecution = db.insert(executions).values(placeholders(executionKeys) as never).prepare();
  const logKeys = Object.keys(logColumns);
  const insertLog = db.insert(executionLogs).values(placeholders(logKeys) as never).prepare();
  const lastSeqOf = db
    .select({ seq: max(executionLogs.seq) })
    .from(executionLogs)
    .where(eq(executionLogs.executionId, sql.placeholder('executionId')))
    .prepare();
  const updates = new Map<string, ReturnType<typeof prepareUpdate>>();

  function prepareUpdate(keys: readonly string[]) {
    const update = db.update(executions).set(placeholders(keys)).where(eq(executions.id, sql.placeholder('whereId')));
    return { returning: update.returning().prepare(), blind: update.prepare() };
  }

  /** The prepared updates setting exactly these columns, or undefined for an unusual shape. */
  function updateStatements(keys: readonly string[]) {
    const shape = keys.join(',');
    let statements = updates.get(shape);
    if (!statements && updates.size < MAX_PREPARED_UPDATES && keys.length > 0 && keys.every((key) => key in executionColumns)) {
      statements = prepareUpdate(keys);
      updates.set(shape, statements);
    }
    return statements;
  }

  /** The row after an update: read back, or (when the caller holds the row) the caller's with the changes. */
  function updated(id: string, keys: readonly string[], changes: Partial<ExecutionRow>, current: ExecutionRow | undefined): ExecutionRow | undefined {
    const statements = updateStatements(keys);
    if (!statements) return db.update(executions).set(changes).where(eq(executions.id, id)).returning().get();
    const values = bind(executionColumns, keys, changes as never, { whereId: id });
    if (!current) return statements.returning.get(values);
    if (statements.blind.run(values).changes === 0) return undefined;
    const row = { ...current };
    for (const key of keys) (row as Record<string, unknown>)[key] = changes[key as keyof ExecutionRow];
    return row;
  }

  return {
    insert(row: ExecutionRow): ExecutionRow {
      // Drizzle puts a column's default in place of undefined; such rows take the general path.
      db.$group.join();
      if (executionKeys.every((key) => row[key as keyof ExecutionRow] !== undefined)) {
        insertExecution.run(bind(executionColumns, executionKeys, row as never));
      } else {
        db.insert(executions).values(row).run();
      }
      announce('execution:updated', row.tenantId, row);
      return row;
    },

    /** Like insert, or undefined when the row's hook is gone (deleted while the run went on). */
    insertUnlessHookGone(row: ExecutionRow): ExecutionRow | undefined {
      try {
        return this.insert(row);
      } catch (error) {
        if (hookGone(error)) return undefined;
        throw error;
      }
    },

    /**
     * The row after the change, or undefined when it is gone (its hook was deleted while it ran):
     * followers of its lines are still told it ended, and nobody is sent a row that is not there.
     * `current`: the row as stored, when the caller holds it (a run is the only writer of its
     * execution while it runs), so the row is not read back.
     */
    update(id: string, changes: Partial<ExecutionRow>, current?: ExecutionRow): ExecutionRow | undefined {
      // Like Drizzle's set(), undefined values leave their column alone.
      const keys = Object.keys(changes).filter((key) => changes[key as keyof ExecutionRow] !== undefined);
      db.$group.join();
      const row = updated(id, keys, changes, current);
      if (!row) {
        nextSeq.delete(id);
        announce('execution:stream', id, { ended: null });
        return undefined;
      }
      announce('execution:updated', row.tenantId, row);
      if (!['QUEUED', 'RUNNING'].includes(row.status)) {
        nextSeq.delete(id);
        announce('execution:stream', id, { ended: row });
      }
      return row;
    },

    /** Stores one console line and sends it to followers; a line of a deleted execution is dropped. */
    appendLog(executionId: string, line: LogLine): ExecutionLogRow | undefined {
      // First: joining finds out whether the last group was lost, and with it the numbers it used.
      db.$group.join();
      const seq = nextSeq.get(executionId) ?? this.lastSeq(executionId) + 1;
      nextSeq.set(executionId, seq + 1);
      const row: ExecutionLogRow = { executionId, seq, level: line.level, message: line.message, time: line.time };
      try {
        insertLog.run(bind(logColumns, logKeys, row as never));
      } catch (error) {
        if (hookGone(error)) return undefined;
        throw error;
      }
      announce('execution:stream', executionId, { line: row });
      return row;
    },

    lastSeq(executionId: string): number {
      return lastSeqOf.get({ executionId })?.seq ?? 0;
    },

    logs(executionId: string, page: { afterSeq?: number; limit: number }): ExecutionLogRow[] {
      return db
        .select()
        .from(executionLogs)
        .where(and(eq(executionLogs.executionId, executionId), page.afterSeq ? gt(executionLogs.seq, page.afterSeq) : undefined))
        .orderBy(asc(executionLogs.seq))
        .limit(page.limit)
        .all();
    },

    /**
     * The same page of lines for many executions in one statement (for loaders): up to `limit`
     * lines after `afterSeq` of each.
     */
    logsOfMany(executionIds: readonly string[], page: { afterSeq?: number; limit: number }): ExecutionLogRow[] {
      const ranked = db
        .select({
          executionId: executionLogs.executionId,
          seq: executionLogs.seq,
          level: executionLogs.level,
          message: executionLogs.message,
          time: executionLogs.time,
          rank: sql<number>`row_number() over (partition by ${executionLogs.executionId} order by ${executionLogs.seq})`.as('rank'),
        })
        .from(executionLogs)
        .where(and(inArray(executionLogs.executionId, [...executionIds]), gt(executionLogs.seq, page.afterSeq ?? 0)))
        .as('ranked');
      return db
        .select({ executionId: ranked.executionId, seq: ranked.seq, level: ranked.level, message: ranked.message, time: ranked.time })
        .from(ranked)
        .where(sql`${ranked.rank} <= ${page.limit}`)
        .orderBy(ranked.executionId, ranked.seq)
        .all();
    },

    /** Runs left RUNNING by a stopped process: marked failed as interrupted, at start-up. */
    markInterrupted(): number {
      const interrupted = db
        .update(executions)
        .set({
          status: 'FAILED',
          error: INTERRUPTED_ERROR,
          finishedAt: clock.now(),
          pendingInput: null,
        })
        .where(eq(executions.status, 'RUNNING'))
        .returning({ id: executions.id })
        .all();
      return interrupted.length;
    },
  };
}
