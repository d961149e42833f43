/**
 * Auth0 Hooks `pre-user-registration`: runs before a new user is stored; may add user and app
 * metadata to the user, or deny the registration with a `PreUserRegistrationError`.
 */
import type { RunError } from '../sandbox/types.ts';
import { appMetadataRoles, argument, auth0Base, webtaskContext } from './auth0.ts';
import { allow, deny, unreadKeys } from './contract.ts';
import { asRecord, isRecord, joinPath, type JsonRecord } from './json.ts';
import { sanitizeMetadata } from './metadata.ts';
import type { ContractResult, ContractWarning, TriggerDefinition } from './types.ts';

/**
 * "If you specify app_metadata and user_metadata in the response object, Auth0 adds this
 * information to the new user" (from the Auth0 Hooks docs): nothing else of `user` is applied.
 * The starter code answers with the whole input user, so its other keys (username, password…)
 * are dropped with a warning each.
 */
const CHANGEABLE_USER_KEYS = ['user_metadata', 'app_metadata'];

// The starter code, verbatim from the Auth0 Hooks docs.
const STARTER_CODE = `/**
@param {object} user - user being created
@param {string} user.tenant - Auth0 tenant name
@param {string} user.username - user's username
@param {string} user.password - user's password
@param {string} user.email - user's email
@param {boolean} user.emailVerified - indicates whether email is verified
@param {string} user.phoneNumber - user's phone number
@param {boolean} user.phoneNumberVerified - indicates whether phone number is verified
@param {object} context - Auth0 context info, such as connection
@param {string} context.renderLanguage - language of the signup flow
@param {string} context.request.ip - ip address
@param {string} context.request.language - language of the application agent
@param {object} context.connection - connection info
@param {object} context.connection.id - connection ID
@param {object} context.connection.name - connection name
@param {object} context.connection.tenant - connection tenant
@param {object} context.webtask - Hook (webtask) context
@param {function} cb - Function (error, response)
*/

module.exports = function (user, context, cb) {
  var response = {};

  // Add user or app metadata to the newly-created user
  // response.user = {
  //   user_metadata: { foo: 'bar' },
  //   app_metadata: { vip: true, score: 7 }
  // };

  response.user = user;

  cb(null, response);
};
`;

// The Runner's payload from the Auth0 Hooks docs.
const SAMPLE_PAYLOAD = {
  user: {
    tenant: 'my-tenant',
    username: 'user1',
    password: 'xxxxxxx',
    email: 'user1@foo.com',
    emailVerified: false,
    phoneNumber: '1-000-000-0000',
    phoneNumberVerified: false,
    user_metadata: { hobby: 'surfing' },
    app_metadata: { plan: 'full' },
  },
  context: {
    request: { language: 'en-us', ip: '123.123.123.123' },
    connection: {
      id: 'con_xxxxxxxxxxxxxxxx',
      name: 'Username-Password-Authentication',
      tenant: 'my-tenant',
    },
  },
};

function applyResponse(response: unknown): ContractResult {
  // `cb(null)` or `cb(null, {})`: the registration goes ahead unchanged.
  if (response === undefined || response === null) return allow({});
  if (!isRecord(response)) {
    return allow({}, [{ path: '', reason: 'The response must be an object such as { user: { app_metadata } }; it was ignored.' }]);
  }
  const warnings: ContractWarning[] = unreadKeys(response, ['user'], '', 'Only "user" is read from a pre-user-registration response');
  if (response.user === undefined) return allow({}, warnings);
  if (!isRecord(response.user)) {
    warnings.push({ path: 'user', reason: '"user" must be an object with user_metadata and/or app_metadata; it was ignored.' });
    return allow({}, warnings);
  }
  warnings.push(
    ...unreadKeys(response.user, CHANGEABLE_USER_KEYS, 'user', 'Only user_metadata and app_metadata can be set on a new user'),
  );
  const user: JsonRecord = {};
  for (const key of CHANGEABLE_USER_KEYS) {
    if (response.user[key] === undefined) continue;
    const metadata = sanitizeMetadata(response.user[key], joinPath('user', key), warnings);
    if (metadata !== undefined) user[key] = metadata;
  }
  return allow({ user }, warnings);
}

function applyError(error: RunError): ContractResult {
  // Only a PreUserRegistrationError speaks to the end user; any other failure denies silently.
  if (error?.name !== 'PreUserRegistrationError') return deny();
  const userMessage = typeof error.userMessage === 'string' && error.userMessage !== '' ? error.userMessage : null;
  return { ...deny([], userMessage), deliberate: true };
}

export const preUserRegistration: TriggerDefinition = {
  ...auth0Base(),
  id: 'pre-user-registration',
  description:
    'Runs before a new user of a database or passwordless connection is stored. Can add user_metadata and app_metadata to the user, or deny the registration with PreUserRegistrationError.',
  signature: 'function (user, context, cb)',
  blocking: true,
  samplePayload: SAMPLE_PAYLOAD,
  requiredPayload: { user: 'object' },
  starterCode: STARTER_CODE,
  handlerArgs: (payload, inputs) => [argument(asRecord(payload).user), webtaskContext(asRecord(payload).context, inputs?.secrets)],
  userRoles: (payload) => appMetadataRoles(asRecord(payload).user),
  applyResponse,
  applyError,
};
