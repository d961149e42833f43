/**
 * The trigger catalogue: every extensibility point hooks can attach to, with its contract.
 */
import { conditionsMatch, CONDITION_OPERATORS, CONDITION_SOURCES, isValidCondition } from './conditions.ts';
import { credentialsExchange } from './credentials-exchange.ts';
import { deepFreeze } from './json.ts';
import { postChangePassword } from './post-change-password.ts';
import { postUserRegistration } from './post-user-registration.ts';
import { preAuthentication } from './pre-authentication.ts';
import { preUserRegistration } from './pre-user-registration.ts';
import { sendPhoneMessage } from './send-phone-message.ts';
import { TRIGGER_IDS, type TriggerDefinition, type TriggerId } from './types.ts';
import { userMigration } from './user-migration.ts';

// Keyed by id so that the compiler insists on one definition per id of TRIGGER_IDS.
const definitions: Record<TriggerId, TriggerDefinition> = {
  'credentials-exchange': credentialsExchange,
  'pre-user-registration': preUserRegistration,
  'post-user-registration': postUserRegistration,
  'post-change-password': postChangePassword,
  'send-phone-message': sendPhoneMessage,
  'pre-authentication': preAuthentication,
  'user-migration': userMigration,
};

/** Every trigger, in the order of TRIGGER_IDS. Frozen: samples are shared by every caller. */
export const triggers: readonly TriggerDefinition[] = deepFreeze(TRIGGER_IDS.map((id) => definitions[id]));

const byId = new Map<string, TriggerDefinition>(triggers.map((trigger) => [trigger.id, trigger]));

export function isTriggerId(id: unknown): id is TriggerId {
  return typeof id === 'string' && byId.has(id);
}

export function getTrigger(id: string): TriggerDefinition | undefined {
  return typeof id === 'string' ? byId.get(id) : undefined;
}

/** What is wrong with a payload for this trigger (a missing or mistyped key), or null. */
export function payloadProblem(trigger: TriggerDefinition, payload: Record<string, unknown>): { key: string; message: string } | null {
  for (const [key, type] of Object.entries(trigger.requiredPayload)) {
    const value = Object.hasOwn(payload, key) ? payload[key] : undefined;
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    if (actual !== type) {
      return { key, message: `A ${trigger.id} payload needs \`${key}\` (${type === 'object' ? 'an object' : 'a string'}), got ${value === undefined ? 'none' : actual}` };
    }
  }
  return null;
}

export { conditionsMatch, CONDITION_OPERATORS, CONDITION_SOURCES, isValidCondition };
export { TRIGGER_IDS };
export type {
  ContractResult,
  ContractWarning,
  HandlerInputs,
  HookCondition,
  TriggerDefinition,
  TriggerId,
  Vendor,
} from './types.ts';
