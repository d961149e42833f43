/**
 * OneLogin Smart Hooks `pre-authentication`: runs after the user entered a username, before the
 * password or MFA prompt, and may switch the user policy that governs this login.
 */
import { roleIds } from './conditions.ts';
import { allow, deny, denyOnError, unreadKeys } from './contract.ts';
import { isRecord, valueAt, type JsonRecord } from './json.ts';
import { oneLoginBase, oneLoginContext } from './onelogin.ts';
import type { ContractResult, ContractWarning, TriggerDefinition } from './types.ts';

/** Each option adds one part of the context (from the OneLogin Smart Hooks docs). */
const OPTIONAL_PARTS = {
  risk_enabled: 'risk',
  location_enabled: 'location',
  mfa_device_info_enabled: 'mfa_devices',
} as const;

const OPTION_DEFAULTS = { risk_enabled: false, location_enabled: false, mfa_device_info_enabled: false };

// The "minimum viable function", verbatim from the OneLogin Smart Hooks docs.
const STARTER_CODE = `exports.handler = async (context) => {
  return {
    success: true,
    user: {
      policy_id: context.user.policy_id
    }
  }
}
`;

// The context as OneLogin's docs show it (pre-authentication context 1.x); their example is cut
// off inside `app`, so only its id and uuid are given.
const SAMPLE_PAYLOAD = {
  user: {
    user_identifier: 'jim-hendrix',
    policy_id: 187345,
    id: 36216766,
    last_login_success: '2020-10-21T17:04:22.852Z',
  },
  device: {
    user_agent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/85.0.4183.121 Safari/537.36',
    is_mobile: false,
  },
  location: { ip: '120.118.218.225', country_code: 'TW' },
  risk: {
    score: 30,
    reasons: [
      'Infrequent access from 120.118.218.225',
      'Infrequent access from Kaohsiung City, Kaohsiung, Taiwan',
      'Infrequent access from Taiwan',
      'Infrequent access using Chrome on Windows',
      'Low trust for session',
    ],
  },
  mfa_devices: [
    {
      auth_factor_id: 16885,
      device_id: 1825100,
      user_display_name: 'Google Authenticator',
      type_display_name: 'Google Authenticator',
      auth_factor_name: 'Google Authenticator',
      default: true,
      last_used_at: '2020-10-20T12:33:24.266Z',
      created_at: '2020-03-02T14:53:00.445Z',
    },
  ],
  app: { id: 959314, uuid: '1a650385-d500-42e3-921e-14aa4020ae70' },
};

/** OneLogin policy ids are integers; env vars are strings, so a string of digits is accepted too. */
function policyId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function applyResponse(response: unknown): ContractResult {
  // A hook that returns nothing usable has not decided anything: fail closed, like an error.
  if (!isRecord(response)) {
    return deny([{ path: '', reason: 'The response must be an object such as { success: true, user: { policy_id } }; the login was denied.' }]);
  }
  const warnings: ContractWarning[] = unreadKeys(response, ['success', 'user'], '', 'Only "success" and "user" are read from a pre-authentication response');
  // OneLogin's early samples return only { user }: a missing success counts as true.
  if (response.success === false) return deny(warnings);
  if (response.success !== undefined && response.success !== true) {
    warnings.push({ path: 'success', reason: 'success must be true or false; anything else denies the login.' });
    return deny(warnings);
  }
  const user: JsonRecord = {};
  if (isRecord(response.user)) {
    warnings.push(...unreadKeys(response.user, ['policy_id'], 'user', 'Only user.policy_id can be changed by a pre-authentication hook'));
    const raw = response.user.policy_id;
    const id = policyId(raw);
    if (id !== undefined) user.policy_id = id;
    else if (raw !== undefined && raw !== null) {
      warnings.push({ path: 'user.policy_id', reason: 'policy_id must be a policy id (a whole number); the user keeps the assigned policy.' });
    }
  } else if (response.user !== undefined) {
    warnings.push({ path: 'user', reason: '"user" must be an object such as { policy_id }; it was ignored.' });
  }
  return allow({ success: true, user }, warnings);
}

export const preAuthentication: TriggerDefinition = {
  ...oneLoginBase(),
  id: 'pre-authentication',
  description:
    'Runs after the user entered a username or email, before the password or MFA prompt. Can switch the user policy for this login (user.policy_id) or deny it (success: false).',
  signature: 'exports.handler = async (context) => ({ success, user: { policy_id } })',
  blocking: true,
  samplePayload: SAMPLE_PAYLOAD,
  requiredPayload: { user: 'object' },
  starterCode: STARTER_CODE,
  optionDefaults: OPTION_DEFAULTS,
  handlerArgs: (payload, inputs) => [oneLoginContext(payload, inputs, OPTIONAL_PARTS, OPTION_DEFAULTS)],
  // The pipeline sends the user's role ids at user.roles (hookgate's choice: OneLogin evaluates
  // conditions itself and documents no roles in the context).
  userRoles: (payload) => roleIds(valueAt(payload, ['user', 'roles'])),
  applyResponse,
  applyError: denyOnError,
};
