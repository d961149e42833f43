import { authorize } from '../services/auth.ts';
import { getTrigger, triggers, type TriggerDefinition } from '../triggers/index.ts';
import { builder } from './builder.ts';

export const TriggerRef = builder.objectRef<TriggerDefinition>('Trigger').implement({
  description: 'An extension point of the pipeline that hooks attach to.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The trigger id, e.g. `pre-user-registration`.' }),
    vendor: t.exposeString('vendor', { description: 'Whose hook style it follows: AUTH0 or ONELOGIN.' }),
    description: t.exposeString('description', { description: 'What the trigger is for.' }),
    signature: t.exposeString('signature', { description: 'The handler signature hooks implement.' }),
    blocking: t.exposeBoolean('blocking', { description: 'Whether the pipeline waits for the outcome (otherwise runs are queued).' }),
    maxEnabledHooks: t.exposeInt('maxEnabledHooks', { description: 'How many hooks may be enabled at once.' }),
    defaultTimeoutMs: t.exposeInt('defaultTimeoutMs', { description: 'Timeout of a new hook when none is given.' }),
    timeoutCeilingMs: t.exposeInt('timeoutCeilingMs', { description: 'The longest timeout a hook may set.' }),
    samplePayload: t.field({ type: 'JSONObject', description: 'The documented Runner payload.', resolve: (trigger) => trigger.samplePayload }),
    starterCode: t.exposeString('starterCode', { description: 'The documented starter code.' }),
    optionDefaults: t.field({
      type: 'JSONObject',
      description: 'The options a hook of this trigger may set, with their defaults.',
      resolve: (trigger) => trigger.optionDefaults,
    }),
  }),
});

builder.queryFields((t) => ({
  triggers: t.field({
    type: [TriggerRef],
    description: 'The trigger catalogue.',
    resolve: (_root, _args, ctx) => {
      authorize(ctx.viewer, 'read:hooks');
      return [...triggers];
    },
  }),
  trigger: t.field({
    type: TriggerRef,
    nullable: true,
    description: 'One trigger of the catalogue, or null for an unknown id.',
    args: { id: t.arg.string({ required: true, description: 'The trigger id.' }) },
    resolve: (_root, { id }, ctx) => {
      authorize(ctx.viewer, 'read:hooks');
      return getTrigger(id) ?? null;
    },
  }),
}));
