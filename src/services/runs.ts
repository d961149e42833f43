import { createHash } from 'node:crypto';
import type { ExecutionRow, HookRow } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { BuildQueue, PackagesOfRun } from '../packages/build-queue.ts';
import { notStartedResult, type RunBundle, type RunError, type RunResult } from '../sandbox/index.ts';
import type { ContractResult, TriggerDefinition } from '../triggers/index.ts';
import type { ServiceDeps } from './deps.ts';
import type { ExecutionStore } from './execution-store.ts';
import type { Quarantine, Refusal } from './quarantine.ts';
import { NotFoundError } from './errors.ts';
import { passwordValues, Redactor } from './redact.ts';
import { RunRecord } from './run-record.ts';

/** Everything one run of one hook needs, resolved before it starts. */
export interface RunPlan {
  hook: HookRow;
  trigger: TriggerDefinition;
  /** Null for a draft script of the Runner, which is never saved. */
  versionId: string | null;
  script: string;
  payload: Record<string, unknown>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  source: 'RUNNER' | 'DISPATCH';
  /** Attempts allowed: 1 plus the hook's retries for async dispatches, else 1. */
  maxAttempts: number;
  /** The packages of the script: its version's build, or a draft's dependencies to build. */
  packages: PackagesOfRun;
}

/** "this hook are refused until …" (after "runs of"), for every message about a refusal. */
function refusedUntil(refusal: Refusal): string {
  const whose = refusal.scope === 'hook' ? 'this hook' : "this tenant's hooks";
  return `${whose} are refused until ${new Date(refusal.until).toISOString()}`;
}

/** Why a run of a quarantined hook does not start (services/quarantine.ts). */
function refusalError(refusal: Refusal): RunError {
  return {
    name: 'HookQuarantined',
    message:
      `Runs of ${refusedUntil(refusal)}: ${refusal.scope === 'hook' ? 'it' : 'they'} exhausted the sandbox's memory ` +
      `beyond recovery ${refusal.events === 1 ? 'once' : `${refusal.events} times`} (an allocation too large for the memory limit, such as a huge string used as a property key)`,
  };
}

export interface RunOutcome {
  execution: ExecutionRow;
  contract: ContractResult;
}

export type RunService = ReturnType<typeof createRunService>;

/** Times a run cut off by its sandbox process (another run's doing) is started again at most. */
const MAX_CRASH_RESTARTS = 2;

/** Runs a planned hook in the sandbox and records the execution as it goes. */
export function createRunService({ clock, db, sandbox, logger }: ServiceDeps, store: ExecutionStore, quarantine: Quarantine, builds: BuildQueue | null = null) {
  /** Runs of `run` whose record is not written yet (or was, and is still going: a written one is a no-op). */
  const unwrittenRuns = new Set<RunRecord>();

  /**
   * Masks the secret and env var values the run was given (from three characters on), and the end
   * user's passwords and codes (however short, and as numbers too), wherever they show up.
   */
  const redactorFor = (plan: RunPlan) =>
    new Redactor(
      [...Object.values(plan.secrets), ...Object.values(plan.env)],
      [...passwordValues(plan.payload), ...(plan.trigger.sensitiveValues?.(plan.payload) ?? [])],
    );

  // A context keeps module state between runs: a draft's is never shared beyond its own hook
  // (two tenants running the same text must not see each other's cached values).
  const cacheKeyOf = (plan: RunPlan, bundle: RunBundle | undefined) =>
    plan.versionId === null
      ? `draft:${plan.hook.id}:${createHash('sha256').update(plan.script).digest('base64url')}${bundle ? `:${bundle.hash}` : ''}`
      : `${plan.versionId}${bundle ? `:${bundle.hash}` : ''}`;

  /** The execution of a run, as it is first written (its id is drawn when it is: see RunRecord). */
  function newExecution(plan: RunPlan, status: 'RUNNING' | 'QUEUED', redactor: Redactor): Omit<ExecutionRow, 'id'> {
    const now = clock.now();
    return {
      tenantId: plan.hook.tenantId,
      hookId: plan.hook.id,
      versionId: plan.versionId,
      triggerId: plan.trigger.id,
      status,
      source: plan.source,
      attempts: 0,
      payload: redactor.json(plan.payload),
      response: null,
      effectiveResponse: null,
      outcome: null,
      warnings: [],
      error: null,
      logsTruncated: false,
      durationMs: null,
      cpuTimeMs: null,
      pendingInput: null,
      createdAt: now,
      startedAt: status === 'RUNNING' ? now : null,
      finishedAt: null,
    };
  }

  /** The error a run of this plan's hook is refused with now, or null when it may run. */
  function refusalOf(plan: RunPlan): RunError | null {
    const refusal = quarantine.refusal(plan.hook.tenantId, plan.hook.id);
    return refusal ? refusalError(refusal) : null;
  }

  async function attempt(record: RunRecord, plan: RunPlan, redactor: Redactor): Promise<RunResult> {
    const packages = builds === null ? {} : await builds.bundleFor(plan.packages);
    if (packages.error) return notStartedResult(packages.error);
    return sandbox.run({
      tenantId: plan.hook.tenantId,
      cacheKey: cacheKeyOf(plan, packages.bundle),
      script: plan.script,
      bundle: packages.bundle,
      args: plan.trigger.handlerArgs(plan.payload, { secrets: plan.secrets, options: plan.hook.options }),
      env: plan.env,
      timeoutMs: plan.hook.timeoutMs,
      onLog: (line) => {
        // Called from the sandbox's message handler: a write that fails must not reach it.
        try {
          record.appendLog({ ...line, message: redactor.line(line.message) });
        } catch (error) {
          logger.error({ event: 'log-line-not-recorded', err: error }, "a run's console line could not be recorded");
        }
      },
      // Checked again when handed to a sandbox process: the hook may have been refused meanwhile.
      mayStart: () => refusalOf(plan),
      onIsolateLost: () => {
        const refusal = quarantine.recordLostIsolate(plan.hook.tenantId, plan.hook.id);
        logger.warn(
          { event: 'isolate-wedged', tenantId: plan.hook.tenantId, hookId: plan.hook.id, hook: plan.hook.name, until: new Date(refusal.until).toISOString() },
          `a hook wedged a sandbox isolate; its sandbox process is replaced; runs of ${refusedUntil(refusal)}`,
        );
      },
    });
  }

  /** An async dispatch: queued, nobody waits for it. */
  const isQueued = (plan: RunPlan) => plan.source === 'DISPATCH' && !plan.trigger.blocking;

  /**
   * An async run the stopping service refused before it ever ran: acknowledged, so not lost. It is
   * QUEUED again, as those the queue had not started yet, and runs at the next start.
   */
  async function requeue(record: RunRecord, pendingInput: string | null, plan: RunPlan): Promise<RunOutcome> {
    record.appendLog({ level: 'INFO', message: 'The service stopped before this run started: it runs at the next start', time: clock.now() });
    // Back as it was queued: a stop's deadline may have recorded it interrupted meanwhile, and
    // dropped its pending input (`pendingInput` was read while QUEUED: it still holds it).
    const row = record.update({ status: 'QUEUED', startedAt: null, error: null, finishedAt: null, pendingInput });
    if (!row) throw new NotFoundError('Hook', plan.hook.id);
    await db.$group.settled();
    // Nobody waits for a queued run: its caller reads nothing of this.
    return { execution: row, contract: plan.trigger.applyResponse(undefined) };
  }

  /** Runs an execution already recorded (QUEUED) through its attempts, and records the end. */
  function runRecorded(execution: ExecutionRow, plan: RunPlan): Promise<RunOutcome> {
    return runThrough(RunRecord.of(store, execution), execution, plan, db.$group.failures, redactorFor(plan));
  }

  /** Runs an execution (`execution`: as first written or drafted) through its attempts, and records the end. */
  async function runThrough(record: RunRecord, execution: Omit<ExecutionRow, 'id'>, plan: RunPlan, failuresAtStart: number, redactor: Redactor): Promise<RunOutcome> {
    const startedAt = execution.startedAt ?? clock.now();
    // The run is the only writer of its execution from here on: the record keeps the row as stored.
    if (execution.status !== 'RUNNING') record.update({ status: 'RUNNING', startedAt });
    let result!: RunResult;
    let attempts = 0;
    let crashRestarts = 0;
    let cpuTimeMs = 0;
    let logsTruncated = false;
    for (;;) {
      const refused = refusalOf(plan);
      if (refused) {
        // A retry refused: the last attempt's failure stands, and the log says why it is the last.
        if (attempts > 0 && result.ended === 'RAN') record.appendLog({ level: 'WARN', message: `Not retried. ${refused.message}`, time: clock.now() });
        else result = notStartedResult(refused);
        break;
      }
      attempts++;
      if (attempts > 1) {
        record.appendLog({ level: 'INFO', message: `Retrying: attempt ${attempts} of ${plan.maxAttempts}`, time: clock.now() });
      }
      result = await attempt(record, plan, redactor);
      // The service stopped under it: no retry, the execution ends as interrupted.
      if (result.interrupted) break;
      if (result.ended === 'NOT_STARTED') {
        // Refused when handed to a sandbox process (see mayStart), or the service is stopping: it never ran.
        attempts--;
        if (result.stopping && attempts === 0 && isQueued(plan)) return requeue(record, execution.pendingInput, plan);
        break;
      }
      if (result.ended === 'CRASHED') {
        // Cut off by another run's wedge: not the hook's failure. Async runs start again; a blocking
        // caller gets SandboxCrashed at once, unless its own hook was refused meanwhile (it wedged).
        attempts--;
        if (refusalOf(plan)) continue;
        if (isQueued(plan) && crashRestarts++ < MAX_CRASH_RESTARTS) {
          record.appendLog({ level: 'WARN', message: `${result.error?.message ?? 'The sandbox crashed'}; started again`, time: clock.now() });
          continue;
        }
        break;
      }
      cpuTimeMs += result.cpuTimeMs;
      logsTruncated ||= result.logsTruncated;
      if (result.isolateLost) {
        // The hook is refused from now on (see onIsolateLost): no retry, and the run says so.
        const refusal = quarantine.refusal(plan.hook.tenantId, plan.hook.id);
        if (refusal && result.error) {
          result = { ...result, error: { ...result.error, message: `${result.error.message}. Its sandbox process was replaced: runs of ${refusedUntil(refusal)}` } };
        }
        break;
      }
      // Failures are retried; a success or a deliberate outcome (a denial the hook chose) is final.
      if (result.status === 'SUCCEEDED' || attempts >= plan.maxAttempts || plan.trigger.applyError(result.error!).deliberate) break;
    }

    const contract = result.status === 'SUCCEEDED' ? plan.trigger.applyResponse(result.response) : plan.trigger.applyError(result.error!);
    const error = result.error ? { ...result.error, userMessage: contract.userMessage ?? result.error.userMessage ?? null } : null;
    const finishedAt = clock.now();
    // Warnings name keys of the response, and a key can be a secret value too.
    const warnings = redactor.json(contract.warnings) as ContractResult['warnings'];
    const effectiveResponse = redactor.json(contract.response ?? null);
    const end: Partial<ExecutionRow> = {
      status: result.status,
      attempts,
      response: result.response === undefined ? null : redactor.json(result.response),
      effectiveResponse,
      outcome: contract.outcome,
      warnings,
      error: error ? redactor.json(error) : null,
      logsTruncated,
      durationMs: finishedAt - startedAt,
      cpuTimeMs: Math.round(cpuTimeMs),
      pendingInput: null,
      finishedAt,
    };
    const row = record.update(end);
    if (!row) {
      if (db.$group.failures !== failuresAtStart) throw new Error('The run could not be recorded: the database refused its writes');
      // The hook was deleted while it ran: its executions went with it.
      throw new NotFoundError('Hook', plan.hook.id);
    }
    try {
      await db.$group.settled();
    } catch (error) {
      // The end was not stored: say so (on the start, if it was stored), not RUNNING until a restart.
      record.rewrite({
        status: 'FAILED',
        error: { name: 'StorageError', message: 'The run ended, but its result could not be stored' },
        finishedAt: clock.now(),
      });
      await db.$group.settled().catch(() => {});
      throw error;
    }
    const userMessage = contract.userMessage == null ? contract.userMessage : (redactor.json(contract.userMessage) as string);
    return { execution: row, contract: { ...contract, warnings, userMessage, response: effectiveResponse } };
  }

  return {
    /** Runs a hook to its end for a caller who waits, and records it (once, if it ends soon: RunRecord). */
    async run(plan: RunPlan): Promise<RunOutcome> {
      const redactor = redactorFor(plan);
      const failuresAtStart = db.$group.failures;
      const execution = newExecution(plan, 'RUNNING', redactor);
      const record = RunRecord.unwritten(store, execution, (error) =>
        logger.error({ event: 'run-start-not-recorded', err: error }, "a run's start could not be recorded; its end will be"),
      );
      unwrittenRuns.add(record);
      try {
        return await runThrough(record, execution, plan, failuresAtStart, redactor);
      } finally {
        unwrittenRuns.delete(record);
        record.close();
      }
    },

    /**
     * Writes RUNNING every run not written yet (see run): at a stop's deadline, so that the runs
     * still going are all recorded, and counted, as interrupted.
     */
    writeUnwritten(): void {
      for (const record of unwrittenRuns) record.writeStart();
      unwrittenRuns.clear();
    },

    /**
     * Records a RUNNING execution and returns it at once; the run goes on in the background, to be
     * followed by the execution's id (executionLogs, executionUpdated, execution).
     */
    start(plan: RunPlan): ExecutionRow {
      const failuresAtStart = db.$group.failures;
      const redactor = redactorFor(plan);
      const execution = store.insert({ id: newId(), ...newExecution(plan, 'RUNNING', redactor) });
      runThrough(RunRecord.of(store, execution), execution, plan, failuresAtStart, redactor).catch((error: unknown) => {
        // A hook deleted while it ran took its execution with it: nobody is left to tell.
        if (!(error instanceof NotFoundError)) logger.error({ event: 'run-not-recorded', executionId: execution.id, err: error }, 'a started run could not be recorded');
      });
      return execution;
    },

    /** Records a QUEUED execution; `pendingInput` keeps what the background run will need. */
    queue(plan: RunPlan, pendingInput: string): ExecutionRow {
      const redactor = redactorFor(plan);
      return store.insert({ id: newId(), ...newExecution(plan, 'QUEUED', redactor), pendingInput });
    },

    runRecorded,
  };
}
