import type { ExecutionRow } from '../db/schema.ts';
import type { DispatchResult } from '../services/dispatch.ts';
import { NotFoundError, ScriptSyntaxError, UnknownTriggerError, ValidationError } from '../services/errors.ts';
import { builder } from './builder.ts';
import { ContractWarningRef, ExecutionRef, Outcome } from './executions.ts';
import { hookIdOf } from './hook-mutations.ts';

const RunSecretInput = builder.inputType('RunSecretInput', {
  description: 'A secret for one test run only; not stored.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The secret’s name.' }),
    value: t.string({ required: true, description: 'Its value for this run; masked in what is recorded.' }),
  }),
});

const RunHookInput = builder.inputType('RunHookInput', {
  description: 'A test run of a hook (the Runner).',
  fields: (t) => ({
    hookId: t.globalID({ required: true, description: 'The hook’s global id.' }),
    payload: t.field({ type: 'JSONObject', description: 'The input; default the trigger’s sample payload.' }),
    script: t.string({ description: 'A draft script to run instead of the saved one. It is not saved.' }),
    secrets: t.field({ type: [RunSecretInput], description: 'Secrets for this run, over the hook’s stored ones.' }),
    dependencies: t.field({
      type: 'JSONObject',
      description: 'npm packages for a draft `script` (name → version or range); default the hook’s. The run waits for their build.',
    }),
  }),
});

const DispatchTriggerInput = builder.inputType('DispatchTriggerInput', {
  description: 'A pipeline event for a trigger.',
  fields: (t) => ({
    triggerId: t.string({ required: true, description: 'The trigger, e.g. `pre-user-registration`.' }),
    payload: t.field({ type: 'JSONObject', required: true, description: 'The trigger’s input, as its sample payload shows.' }),
  }),
});

const RunHookSuccess = builder.objectRef<{ execution: ExecutionRow }>('RunHookSuccess').implement({
  description: 'The run ended; its execution tells how.',
  fields: (t) => ({ execution: t.field({ type: ExecutionRef, description: 'The recorded run.', resolve: (p) => p.execution }) }),
});

const StartRunSuccess = builder.objectRef<{ execution: ExecutionRow }>('StartRunSuccess').implement({
  description: 'The run started: its execution is RUNNING. Follow it by id with executionLogs, executionUpdated or execution.',
  fields: (t) => ({ execution: t.field({ type: ExecutionRef, description: 'The run as it starts.', resolve: (p) => p.execution }) }),
});

const DispatchTriggerSuccess = builder.objectRef<DispatchResult>('DispatchTriggerSuccess').implement({
  description: 'The pipeline’s answer. For async triggers, the runs are queued and the answer comes at once.',
  fields: (t) => ({
    outcome: t.field({ type: Outcome, description: 'ALLOW or DENY.', resolve: (r) => r.outcome }),
    response: t.field({ type: 'JSON', nullable: true, description: 'The effective response to apply; null on a denial.', resolve: (r) => r.response }),
    userMessage: t.string({ nullable: true, description: 'On a denial, the message for the end user, if the hook gave one.', resolve: (r) => r.userMessage }),
    warnings: t.field({ type: [ContractWarningRef], description: 'Parts of responses the contract dropped.', resolve: (r) => r.warnings }),
    executions: t.field({ type: [ExecutionRef], description: 'The runs: ended for blocking triggers, queued for async ones.', resolve: (r) => r.executions }),
    executionIds: t.globalIDList({
      description: 'Global ids of the runs, to follow with executionLogs or execution.',
      resolve: (r) => r.executions.map((e) => ({ type: 'Execution', id: e.id })),
    }),
  }),
});

/** The service's request from RunHookInput: global ids decoded, nulls dropped. */
function runRequest(input: {
  hookId: { id: string; typename: string };
  payload?: Record<string, unknown> | null;
  script?: string | null;
  secrets?: { name: string; value: string }[] | null;
  dependencies?: Record<string, unknown> | null;
}) {
  const { hookId, payload, script, secrets, dependencies } = input;
  return { hookId: hookIdOf(hookId), payload: payload ?? undefined, script: script ?? undefined, secrets: secrets ?? undefined, dependencies: dependencies ?? undefined };
}

builder.mutationFields((t) => ({
  runHook: t.field({
    type: RunHookSuccess,
    description: 'Runs a hook once and waits for the end (scope run:hooks). A draft script is run but never saved.',
    errors: { types: [ValidationError, NotFoundError, ScriptSyntaxError] },
    args: { input: t.arg({ type: RunHookInput, required: true, description: 'What to run.' }) },
    resolve: async (_root, { input }, ctx) => ({ execution: await ctx.services.dispatch.runHook(ctx.viewer, runRequest(input)) }),
  }),
  startRun: t.field({
    type: StartRunSuccess,
    description:
      'Starts a run as runHook does (same input, scopes and limits) but answers at once, while it runs: follow its lines with executionLogs and its end with executionUpdated or execution.',
    errors: { types: [ValidationError, NotFoundError, ScriptSyntaxError] },
    args: { input: t.arg({ type: RunHookInput, required: true, description: 'What to run.' }) },
    resolve: async (_root, { input }, ctx) => ({ execution: await ctx.services.dispatch.startRun(ctx.viewer, runRequest(input)) }),
  }),
  dispatchTrigger: t.field({
    type: DispatchTriggerSuccess,
    description: 'Runs the enabled hooks of a trigger with its contract, as the pipeline does (scope run:hooks).',
    errors: { types: [ValidationError, UnknownTriggerError] },
    args: { input: t.arg({ type: DispatchTriggerInput, required: true, description: 'The event.' }) },
    resolve: (_root, { input }, ctx) => ctx.services.dispatch.dispatchTrigger(ctx.viewer, input),
  }),
}));
