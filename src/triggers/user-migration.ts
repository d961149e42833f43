/**
 * OneLogin Smart Hooks `user-migration`: runs during a login for a username or email that is not
 * known yet. The hook checks the credentials against the legacy store and answers
 * `{ success: true, user }` to have the user created, so later logins no longer need it.
 */
import { allow, deny, denyOnError, unreadKeys } from './contract.ts';
import { cloneJson, isRecord, setOwn, type JsonRecord } from './json.ts';
import { oneLoginBase, oneLoginContext } from './onelogin.ts';
import type { ContractResult, ContractWarning, TriggerDefinition } from './types.ts';

/**
 * Attributes of the user to create: those of OneLogin's Users API, which OneLogin's migration
 * examples return (hookgate's choice of list, as the hook docs name no closed set).
 */
const USER_FIELDS = [
  'username', 'email', 'firstname', 'lastname', 'title', 'department', 'company',
  'phone', 'comment', 'external_id', 'samaccountname', 'userprincipalname', 'distinguished_name',
  'member_of', 'preferred_locale_code', 'state', 'status', 'manager_ad_id', 'manager_user_id',
  'directory_id', 'trusted_idp_id', 'group_id', 'role_ids', 'custom_attributes',
];

// hookgate's choice: OneLogin's docs show no starter for this type. Like OneLogin's minimal
// pre-authentication function, it behaves as if there were no hook: the unknown user is refused.
const STARTER_CODE = `exports.handler = async (context) => {
  // Check context.user_identifier and context.password against your legacy user store.
  // Never log the context: it holds the password the user entered.
  // To migrate the user, return its attributes (the password entered is set by the pipeline):
  // {
  //   success: true,
  //   user: {
  //     username: context.user_identifier,
  //     email: 'user@example.com',
  //     firstname: 'First',
  //     lastname: 'Last'
  //   }
  // }
  return {
    success: false,
    user: null
  }
}
`;

// The context from the OneLogin Smart Hooks docs (user-migration context 1.0.0).
const SAMPLE_PAYLOAD = {
  user_identifier: 'jim-hendrix',
  password: 'top-secret-password',
  correlation_id: '13a97251-215d-4fa5-baaf-6fc15700a2db',
  request_id: '7d436b7e-b4a3-4b48-83fd-f4a12c22bb62',
};

/** Why a user attribute's value is refused, or null when it can be applied. */
function fieldProblem(key: string, value: unknown): string | null {
  if (key === 'custom_attributes') return isRecord(value) ? null : 'custom_attributes must be an object.';
  if (key === 'role_ids') {
    const ok = Array.isArray(value) && value.every((id) => Number.isSafeInteger(id));
    return ok ? null : 'role_ids must be an array of role ids (whole numbers).';
  }
  const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
  return scalar ? null : `${key} must be a string, number or boolean.`;
}

function hasIdentifier(user: JsonRecord): boolean {
  return [user.username, user.email].some((id) => typeof id === 'string' && id.trim() !== '');
}

function applyResponse(response: unknown): ContractResult {
  if (!isRecord(response)) {
    return deny([{ path: '', reason: 'The response must be an object such as { success: true, user }; the user was not migrated.' }]);
  }
  const warnings: ContractWarning[] = unreadKeys(response, ['success', 'user'], '', 'Only "success" and "user" are read from a user-migration response');
  // Fail closed: only an explicit success creates a user.
  if (response.success !== true) {
    if (response.success !== false) {
      warnings.push({ path: 'success', reason: 'success must be true to migrate the user; the user was not migrated.' });
    }
    return deny(warnings);
  }
  if (!isRecord(response.user)) {
    warnings.push({ path: 'user', reason: '"user" must be an object with the attributes of the user to create; the user was not migrated.' });
    return deny(warnings);
  }
  // hookgate's choice: passwords never travel back out of a hook. The pipeline sets the password
  // the user just entered (it sent it in as context.password), so nothing is lost by dropping it.
  const { password, ...attributes } = response.user;
  if (password !== undefined) {
    warnings.push({ path: 'user.password', reason: 'Passwords are never returned to the pipeline: it sets the password the user entered. It was dropped.' });
  }
  warnings.push(...unreadKeys(attributes, USER_FIELDS, 'user', 'Not an attribute of a OneLogin user'));
  const user: JsonRecord = {};
  for (const key of USER_FIELDS) {
    const value = response.user[key];
    if (value === undefined) continue;
    const problem = fieldProblem(key, value);
    if (problem === null) setOwn(user, key, cloneJson(value));
    else warnings.push({ path: `user.${key}`, reason: `${problem} It was dropped.` });
  }
  if (!hasIdentifier(user)) {
    warnings.push({ path: 'user', reason: 'A migrated user needs a username or an email; the user was not migrated.' });
    return deny(warnings);
  }
  return allow({ success: true, user }, warnings);
}

export const userMigration: TriggerDefinition = {
  ...oneLoginBase(),
  id: 'user-migration',
  description:
    'Runs during a login for a username or email that does not exist yet. Checks the credentials against a legacy store and returns { success: true, user } to create the user; anything else refuses the login.',
  signature: 'exports.handler = async (context) => ({ success, user })',
  blocking: true,
  samplePayload: SAMPLE_PAYLOAD,
  requiredPayload: { user_identifier: 'string', password: 'string' },
  starterCode: STARTER_CODE,
  // No options for this type (from the OneLogin Smart Hooks docs).
  optionDefaults: {},
  handlerArgs: (payload, inputs) => [oneLoginContext(payload, inputs, {}, {})],
  // The user does not exist yet, so has no roles: `~` conditions never match here.
  userRoles: () => [],
  applyResponse,
  applyError: denyOnError,
};
