import { resolveCursorConnection } from '@pothos/plugin-relay';
import type { Context } from '../context.ts';
import type { ExecutionLogRow, ExecutionRow } from '../db/schema.ts';
import { ValidationError } from '../services/errors.ts';
import { builder } from './builder.ts';
import { HookRef, HookVersionRef } from './hooks.ts';
import { toDate, toDateOrNull } from './scalars.ts';
import { charged } from './use-answer-budget.ts';
import { checkCursors, isSeqCursor } from './cursors.ts';

export const ExecutionStatus = builder.enumType('ExecutionStatus', {
  description: 'Where a run stands.',
  values: {
    QUEUED: { description: 'Waiting to run (async triggers).' },
    RUNNING: { description: 'Running now.' },
    SUCCEEDED: { description: 'Ended with a response.' },
    FAILED: { description: 'Ended with an error, a denial, or an interruption.' },
    TIMED_OUT: { description: 'Stopped at its timeout.' },
    MEMORY_LIMIT_EXCEEDED: { description: 'Stopped when it ran out of memory.' },
  } as const,
});

export const ExecutionSource = builder.enumType('ExecutionSource', {
  description: 'What started a run.',
  values: {
    RUNNER: { description: 'A test run (runHook).' },
    DISPATCH: { description: 'The pipeline (dispatchTrigger).' },
  } as const,
});

export const Outcome = builder.enumType('Outcome', {
  description: 'What the pipeline should do.',
  values: { ALLOW: { description: 'Go on, applying the response.' }, DENY: { description: 'Stop: the hook denied.' } } as const,
});

export const ContractWarningRef = builder.objectRef<{ path: string; reason: string }>('ContractWarning').implement({
  description: 'A part of a hook’s response that the trigger contract dropped.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Dotted path of the dropped part, e.g. `user.app_metadata.$plan`.' }),
    reason: t.exposeString('reason', { description: 'Why it was dropped.' }),
  }),
});

type RunErrorShape = { name: string; message: string; userMessage?: string | null; line?: number | null };
const ExecutionErrorRef = builder.objectRef<RunErrorShape>('ExecutionError').implement({
  description: 'How a run failed.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The error class, e.g. `TypeError`, `PreUserRegistrationError`, `TimeoutError`.' }),
    message: t.exposeString('message', { description: 'The error message (for the tenant’s logs).' }),
    userMessage: t.string({ nullable: true, description: 'The message meant for the end user, if any.', resolve: (e) => e.userMessage ?? null }),
    line: t.int({ nullable: true, description: 'Line in the hook’s script where it was thrown, if known.', resolve: (e) => e.line ?? null }),
  }),
});

export const LogLevel = builder.enumType('LogLevel', {
  description: 'The console method that wrote a line.',
  values: {
    LOG: { description: '`console.log`.' },
    INFO: { description: '`console.info`, and hookgate’s own notes (retries).' },
    WARN: { description: '`console.warn`, and hookgate’s warnings (a callback called twice, cut output).' },
    ERROR: { description: '`console.error`.' },
    DEBUG: { description: '`console.debug`.' },
  } as const,
});

export const ExecutionLogRef = builder.objectRef<ExecutionLogRow>('ExecutionLog').implement({
  description: 'A console line written by a run, secret values masked.',
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'Position in the run’s output, from 1.' }),
    level: t.field({ type: LogLevel, description: 'The console method used.', resolve: (l) => l.level as 'LOG' }),
    message: t.string({ description: 'The text.', resolve: (l, _a, ctx) => charged(ctx, l.message) }),
    time: t.field({ type: 'DateTime', description: 'When it was written.', resolve: (l) => toDate(l.time) }),
  }),
});

/** A part of what a run recorded: needs read:executions wherever the execution is reached (services/executions.ts). */
function recorded<T>(ctx: Context, value: T): T {
  ctx.services.executions.authorizeRecord(ctx.viewer);
  return value;
}

export const ExecutionRef = builder.node(builder.objectRef<ExecutionRow>('Execution'), {
  description: 'One run of one hook version, recorded.',
  id: { resolve: (e) => e.id, description: 'The global id.' },
  loadOne: (id, ctx) => ctx.loaders.execution.load(id),
  fields: (t) => ({
    status: t.field({ type: ExecutionStatus, description: 'Where the run stands.', resolve: (e) => e.status as 'QUEUED' }),
    source: t.field({ type: ExecutionSource, description: 'What started it.', resolve: (e) => e.source as 'RUNNER' }),
    outcome: t.field({ type: Outcome, nullable: true, description: 'The contract’s verdict, once ended.', resolve: (e) => (e.outcome as 'ALLOW') ?? null }),
    hook: t.field({
      type: HookRef,
      // Nullable so that a token without read:hooks (a log viewer's) loses this field alone, with its FORBIDDEN error, not the list it is in.
      nullable: true,
      description: 'The hook that ran (scope read:hooks: null, with a FORBIDDEN error, without it).',
      resolve: (e, _a, ctx) => ctx.loaders.hook.load(e.hookId).then((h) => h ?? null),
    }),
    hookVersion: t.field({
      type: HookVersionRef,
      nullable: true,
      description: 'The version that ran; null for a draft script of the Runner.',
      resolve: (e, _a, ctx) => (e.versionId ? ctx.loaders.hookVersion.load(e.versionId).then((v) => v ?? null) : null),
    }),
    triggerId: t.exposeString('triggerId', { description: 'The trigger it ran at.' }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made, retries included.' }),
    payload: t.field({ type: 'JSON', nullable: true, description: 'The input, passwords and secret values redacted.', resolve: (e, _a, ctx) => charged(ctx, recorded(ctx, e.payload)) }),
    response: t.field({ type: 'JSON', nullable: true, description: 'What the hook returned, redacted.', resolve: (e, _a, ctx) => charged(ctx, recorded(ctx, e.response)) }),
    effectiveResponse: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What the trigger contract let through to the pipeline, redacted.',
      resolve: (e, _a, ctx) => charged(ctx, recorded(ctx, e.effectiveResponse)),
    }),
    warnings: t.field({
      type: [ContractWarningRef],
      nullable: true,
      description: 'Parts of the response the contract dropped (null, with a FORBIDDEN error, without read:executions).',
      resolve: (e, _a, ctx) => recorded(ctx, e.warnings),
    }),
    error: t.field({ type: ExecutionErrorRef, nullable: true, description: 'How it failed, if it did.', resolve: (e, _a, ctx) => recorded(ctx, e.error as RunErrorShape | null) }),
    logsTruncated: t.exposeBoolean('logsTruncated', { description: 'Whether console output was cut at the per-run caps.' }),
    logs: t.connection({
      type: ExecutionLogRef,
      // Nullable, as every recorded part is: a pipeline token asking for logs loses them alone, not the run's answer.
      nullable: true,
      description: 'Console lines in the order written (null, with a FORBIDDEN error, without read:executions).',
      resolve: (e, args, ctx) => {
        ctx.services.executions.authorizeRecord(ctx.viewer);
        checkCursors(args, isSeqCursor);
        return resolveCursorConnection<Promise<ExecutionLogRow[]>>(
          { args, toCursor: (line: ExecutionLogRow) => String(line.seq), maxSize: 1000, defaultSize: 100 },
          ({ after, limit, inverted }) => {
            // Lines are read forward, in the order written; `last`/`before` have no meaning here.
            if (inverted) throw new ValidationError('logs', 'logs pages forward only: use first and after');
            return ctx.loaders.logsPage(after ? Number(after) : undefined, limit).load(e.id);
          },
        );
      },
    }),
    durationMs: t.exposeInt('durationMs', { nullable: true, description: 'Wall-clock time of the run, once ended.' }),
    cpuTimeMs: t.exposeInt('cpuTimeMs', { nullable: true, description: 'CPU time the hook used, once ended.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was recorded.', resolve: (e) => toDate(e.createdAt) }),
    startedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it started running.', resolve: (e) => toDateOrNull(e.startedAt) }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it ended.', resolve: (e) => toDateOrNull(e.finishedAt) }),
  }),
});

builder.queryField('execution', (t) =>
  t.field({
    type: ExecutionRef,
    nullable: true,
    description: 'An execution by global id; null when it does not exist or is another tenant’s.',
    args: { id: t.arg.globalID({ required: true, description: 'The execution’s global id.' }) },
    resolve: (_root, { id }, ctx) => (id.typename === 'Execution' ? ctx.services.executions.get(ctx.viewer, id.id) ?? null : null),
  }),
);
