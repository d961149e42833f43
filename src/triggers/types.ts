/**
 * A trigger (extensibility point) of the catalogue: what its hooks receive, how long they may run,
 * and the contract that decides what their response may change.
 */
import type { RunError } from '../sandbox/types.ts';

export const TRIGGER_IDS = [
  'credentials-exchange',
  'pre-user-registration',
  'post-user-registration',
  'post-change-password',
  'send-phone-message',
  'pre-authentication',
  'user-migration',
] as const;

export type TriggerId = (typeof TRIGGER_IDS)[number];

export type Vendor = 'AUTH0' | 'ONELOGIN';

export interface ContractWarning {
  /** Dotted path of the dropped or changed part of the response, e.g. `user.app_metadata.$foo`. */
  path: string;
  /** Why it was dropped, in a sentence a hook author understands. */
  reason: string;
}

export interface ContractResult {
  outcome: 'ALLOW' | 'DENY';
  /** The effective response after the contract: what the pipeline may apply. */
  response: unknown;
  warnings: ContractWarning[];
  /** For a denial: the message meant for the end user, when the hook gave one. */
  userMessage?: string | null;
  /** The hook decided this outcome deliberately (a PreUserRegistrationError): never retried. */
  deliberate?: boolean;
}

export interface HookCondition {
  source: 'roles';
  /** `~` the user has the role, `!~` the user does not have it. */
  operator: string;
  value: string;
}

export interface HandlerInputs {
  /** Decrypted hook secrets, for `context.webtask.secrets` (Auth0 style). */
  secrets: Record<string, string>;
  /** The hook's options (`risk_enabled`, …): which optional context parts are passed. */
  options: Record<string, unknown>;
}

export interface TriggerDefinition {
  id: TriggerId;
  vendor: Vendor;
  description: string;
  /** The handler signature as the vendor documents it, e.g. `function (user, context, cb)`. */
  signature: string;
  /** Blocking triggers make the pipeline wait for the outcome; async ones are queued. */
  blocking: boolean;
  maxEnabledHooks: number;
  defaultTimeoutMs: number;
  timeoutCeilingMs: number;
  /** The vendor documentation's Runner payload. */
  samplePayload: Record<string, unknown>;
  /** Keys a payload must have, with their JSON type: what the handler's arguments are built from. */
  requiredPayload: Readonly<Record<string, 'object' | 'string'>>;
  /** The vendor documentation's starter code. */
  starterCode: string;
  /** Names of the options a hook of this trigger may set, with their defaults. */
  optionDefaults: Record<string, boolean>;
  /**
   * The context versions hookgate serves (OneLogin's `context_version`, a semver version or
   * range); none for Auth0's triggers, which have no such setting.
   */
  contextVersions: readonly string[];
  /** The handler's arguments (before the callback) built from a pipeline payload. */
  handlerArgs(payload: Record<string, unknown>, inputs: HandlerInputs): unknown[];
  /**
   * Values of a payload as secret as a password, beyond those under password-like keys (masked
   * for every trigger): masked by value wherever anything of the run is stored or shown. A number
   * (a one-time code sent as one) is given as its decimal text (`secretText`).
   */
  sensitiveValues?(payload: Record<string, unknown>): string[];
  /** Role ids of the user in a payload, for hook conditions. */
  userRoles(payload: Record<string, unknown>): string[];
  /** Applies the contract to a successful run's response. */
  applyResponse(response: unknown): ContractResult;
  /** The outcome of a run that ended with an error (a thrown error, a denial, a timeout). */
  applyError(error: RunError): ContractResult;
}
