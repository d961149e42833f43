import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { executions, hooks, hookVersions, type ExecutionRow, type HookRow, type HookVersionRow } from '../db/schema.ts';
import { WhileUnchanged } from '../db/table-changes.ts';
import type { BuildQueue } from '../packages/build-queue.ts';
import { conditionsMatch, getTrigger, payloadProblem, TRIGGER_IDS, type ContractWarning, type TriggerDefinition } from '../triggers/index.ts';
import { deepFreeze } from '../triggers/json.ts';
import { authorize, type Viewer } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { NotFoundError, ScriptSyntaxError, UnknownTriggerError, ValidationError } from './errors.ts';
import type { HookService } from './hooks.ts';
import { dependencies, refuseEmpty, variableName } from './hook-input.ts';
import type { TokenRateLimiter } from './rate-limit.ts';
import { createRunQueue } from './run-queue.ts';
import type { RunPlan, RunService } from './runs.ts';
import type { SecretService } from './secrets.ts';
import { parseInput } from './validation.ts';

export const MAX_PAYLOAD_BYTES = 256 * 1024;

export const MAX_PAYLOAD_DEPTH = 64;

/** Tenants' trigger hook lists, and hooks' serving versions, kept in memory at most. */
const MAX_KEPT = 10_000;

const payload = z
  .record(z.unknown())
  // Fatal: the checks after it (JSON.stringify is recursive) must never see a payload too deep.
  .superRefine((value, ctx) => {
    if (jsonDepth(value) > MAX_PAYLOAD_DEPTH) ctx.addIssue({ code: 'custom', message: `must nest at most ${MAX_PAYLOAD_DEPTH} levels deep`, fatal: true });
  })
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= MAX_PAYLOAD_BYTES, `must be at most ${MAX_PAYLOAD_BYTES} bytes of JSON`);

/** How deep a JSON value nests, found without recursion (a hostile payload could be very deep). */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_PAYLOAD_DEPTH) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const runHookInput = z.object({
  hookId: z.string(),
  payload: payload.optional(),
  script: z.string().max(100_000).optional(),
  secrets: z.array(z.object({ name: variableName, value: z.string().max(10_000) })).max(50).optional(),
  /** A draft's packages; default the hook's. */
  dependencies: dependencies.optional(),
});

const dispatchInput = z.object({ triggerId: z.string(), payload });

export interface DispatchResult {
  outcome: 'ALLOW' | 'DENY';
  response: unknown;
  userMessage: string | null;
  warnings: ContractWarning[];
  executions: ExecutionRow[];
}

export type DispatchService = ReturnType<typeof createDispatchService>;

/** The Runner (runHook) and the pipeline (dispatchTrigger). */
export function createDispatchService(
  deps: ServiceDeps,
  hookService: HookService,
  secrets: SecretService,
  runs: RunService,
  runLimiter: TokenRateLimiter,
  builds: BuildQueue | null = null,
) {
  const { db, sandbox, secretBox } = deps;

  // Read by every queued run: prepared once instead of built and compiled per call.
  const versionWithId = db.select().from(hookVersions).where(eq(hookVersions.id, sql.placeholder('id'))).prepare();

  const currentVersion = (hook: HookRow) => hookService.versionOf(hook.id, hook.version)!;

  // What every dispatch reads, kept while the hooks and their versions are unchanged (frozen: one
  // request cannot change what the next one reads).
  const enabledOfTrigger = new WhileUnchanged<readonly HookRow[]>(() => db.$changes.generation(), MAX_KEPT);
  const servingVersions = new WhileUnchanged<HookVersionRow | undefined>(() => db.$changes.generation(), MAX_KEPT);

  /**
   * The version runs use: the newest whose packages are built (the current one while nothing is).
   * A hook whose first version still builds waits for it rather than fail the run.
   */
  async function servingVersion(hook: HookRow): Promise<HookVersionRow> {
    if (builds === null) return currentVersion(hook);
    const serving = servingVersions.get(hook.id, () => deepFreeze(builds.servingVersion(hook.id)));
    if (serving !== undefined) return serving;
    const current = currentVersion(hook);
    await builds.settled(current.id);
    return builds.servingVersion(hook.id) ?? current;
  }

  // Every dispatch reads its tenant's enabled hooks of the trigger.
  const enabledHooks = db
    .select()
    .from(hooks)
    .where(and(eq(hooks.tenantId, sql.placeholder('tenantId')), eq(hooks.triggerId, sql.placeholder('triggerId')), eq(hooks.enabled, true)))
    .orderBy(asc(hooks.id))
    .prepare();

  function plan(
    hook: HookRow,
    parts: Pick<RunPlan, 'payload' | 'source' | 'maxAttempts'> &
      Partial<Pick<RunPlan, 'secrets'>> &
      // A saved version, or a draft of the Runner with its own packages.
      ({ version: HookVersionRow; script?: undefined; draftDependencies?: undefined } | { version?: undefined; script: string; draftDependencies?: Record<string, string> }),
  ): RunPlan {
    const { version } = parts;
    const script = version?.script ?? parts.script!;
    const hookSecrets = secrets.hookSecretValues(hook.id);
    return {
      hook,
      trigger: getTrigger(hook.triggerId)!,
      versionId: version?.id ?? null,
      script,
      payload: parts.payload,
      secrets: { ...hookSecrets, ...parts.secrets },
      // OneLogin hooks read their env vars and secrets from process.env.
      env: { ...secrets.envVarValues(hook.tenantId, hook.envVarNames), ...hookSecrets, ...parts.secrets },
      source: parts.source,
      maxAttempts: parts.maxAttempts,
      packages: {
        version: version ?? null,
        script,
        dependencies: version?.dependencies ?? parts.draftDependencies ?? hook.dependencies,
      },
    };
  }

  function versionById(id: string) {
    return versionWithId.get({ id });
  }

  /** A payload must carry what the trigger's handler arguments are built from. */
  function checkPayload(trigger: TriggerDefinition, payload: Record<string, unknown>) {
    const problem = payloadProblem(trigger, payload);
    if (problem) throw new ValidationError(`input.payload.${problem.key}`, `input.payload.${problem.key}: ${problem.message}`);
  }

  /** Checks a Runner request (scopes, rate, input, draft syntax) and plans its run. */
  async function runnerPlan(viewer: Viewer | null, rawInput: unknown): Promise<RunPlan> {
    const { tenantId, tokenId } = authorize(viewer, 'run:hooks');
    await runLimiter.consume(tokenId);
    const input = parseInput(runHookInput, rawInput);
    const hook = hookService.find(tenantId, input.hookId);
    // A draft runs with the hook's secrets: writing code that sees them is editing the hook. Draft
    // secrets are the same: they override stored ones (API_URL pointed elsewhere, API_KEY kept).
    if (input.script !== undefined || input.secrets?.length) authorize(viewer, 'update:hooks');
    if (input.script !== undefined) {
      refuseEmpty('input.script', input.script);
      const problem = await sandbox.checkSyntax(input.script);
      if (problem) throw new ScriptSyntaxError(problem.message, problem.line, problem.column);
    }
    const trigger = getTrigger(hook.triggerId)!;
    if (input.payload !== undefined) checkPayload(trigger, input.payload);
    const draftSecrets = Object.fromEntries((input.secrets ?? []).map((s) => [s.name, s.value]));
    // The Runner runs the saved hook's newest version: it waits for that version's build.
    const common = { payload: input.payload ?? structuredClone(trigger.samplePayload), secrets: draftSecrets, source: 'RUNNER', maxAttempts: 1 } as const;
    if (input.script !== undefined) return plan(hook, { ...common, script: input.script, draftDependencies: input.dependencies });
    const current = currentVersion(hook);
    await builds?.settled(current.id);
    // Read again: the build has recorded its outcome on the version meanwhile.
    return plan(hook, { ...common, version: versionById(current.id) ?? current });
  }

  // Runs awaiting I/O hold no sandbox slot, so many can be under way; no tenant takes them all.
  const queue = createRunQueue({
    concurrency: 32,
    perTenant: 4,
    onError: (executionId, err) => deps.logger.error({ event: 'queued-run-failed', executionId, err }, 'a queued run failed to run'),
    run: async (executionId) => {
      const execution = db.select().from(executions).where(eq(executions.id, executionId)).get();
      if (!execution || execution.status !== 'QUEUED' || !execution.pendingInput) return;
      try {
        const hook = hookService.find(execution.tenantId, execution.hookId);
        const { payload } = JSON.parse(secretBox.decrypt(execution.pendingInput)) as { payload: Record<string, unknown> };
        const version = (execution.versionId ? versionById(execution.versionId) : undefined) ?? (await servingVersion(hook));
        const planned = plan(hook, { payload, source: 'DISPATCH', maxAttempts: 1 + hook.retries, version });
        await runs.runRecorded(execution, planned);
      } catch (error) {
        // A hook deleted while its run was queued or running takes the execution with it: nothing to do.
        if (!(error instanceof NotFoundError)) throw error;
      }
    },
  });

  return {
    /** Runs a hook once (the Runner) and answers with the ended execution. */
    async runHook(viewer: Viewer | null, rawInput: unknown) {
      return (await runs.run(await runnerPlan(viewer, rawInput))).execution;
    },

    /** Starts a run like runHook, but answers at once with the RUNNING execution, to follow by its id. */
    async startRun(viewer: Viewer | null, rawInput: unknown) {
      return runs.start(await runnerPlan(viewer, rawInput));
    },

    async dispatchTrigger(viewer: Viewer | null, rawInput: unknown): Promise<DispatchResult> {
      const { tenantId, tokenId } = authorize(viewer, 'run:hooks');
      await runLimiter.consume(tokenId);
      const input = parseInput(dispatchInput, rawInput);
      const trigger = getTrigger(input.triggerId);
      if (!trigger) throw new UnknownTriggerError(input.triggerId, TRIGGER_IDS);
      checkPayload(trigger, input.payload);
      const enabled = enabledOfTrigger
        .get(`${tenantId}\n${trigger.id}`, () => deepFreeze(enabledHooks.all({ tenantId, triggerId: trigger.id })))
        .filter((hook) => conditionsMatch(trigger, hook.conditions as never, input.payload));

      const versions = new Map<string, HookVersionRow>();
      for (const hook of enabled) versions.set(hook.id, await servingVersion(hook));
      if (!trigger.blocking) {
        const queued = enabled.map((hook) => {
          const planned = plan(hook, { payload: input.payload, source: 'DISPATCH', maxAttempts: 1 + hook.retries, version: versions.get(hook.id)! });
          return runs.queue(planned, secretBox.encrypt(JSON.stringify({ payload: input.payload })));
        });
        for (const execution of queued) queue.push(execution.id, tenantId);
        return { outcome: 'ALLOW', response: {}, userMessage: null, warnings: [], executions: queued };
      }

      const result: DispatchResult = { outcome: 'ALLOW', response: {}, userMessage: null, warnings: [], executions: [] };
      for (const hook of enabled) {
        const { execution, contract } = await runs.run(plan(hook, { payload: input.payload, source: 'DISPATCH', maxAttempts: 1, version: versions.get(hook.id)! }));
        result.executions.push(execution);
        result.warnings.push(...contract.warnings);
        if (contract.outcome === 'DENY') return { ...result, outcome: 'DENY', response: null, userMessage: contract.userMessage ?? null };
        result.response = contract.response ?? {};
      }
      return result;
    },

    /** Queued async runs left by a stopped process: run them now. */
    resumeQueued(): number {
      const pending = db
        .select({ id: executions.id, tenantId: executions.tenantId })
        .from(executions)
        .where(eq(executions.status, 'QUEUED'))
        .orderBy(asc(executions.id))
        .all();
      for (const { id, tenantId } of pending) queue.push(id, tenantId);
      return pending.length;
    },

    /** Resolves when no queued run is waiting or running (tests, shutdown). */
    idle: () => queue.idle(),

    /** A stop: queued runs not yet started stay QUEUED, to run at the next start. */
    pauseQueue: () => queue.pause(),
  };
}

