/**
 * Auth0 Hooks `post-user-registration`: runs asynchronously after a new user is stored, e.g. to
 * notify Slack or a CRM. Its outcome does not affect the registration; any response is ignored.
 */
import { appMetadataRoles, argument, auth0Base, webtaskContext } from './auth0.ts';
import { allowOnError, ignoreResponse } from './contract.ts';
import { asRecord } from './json.ts';
import type { TriggerDefinition } from './types.ts';

// The starter code, verbatim from the Auth0 Hooks docs.
const STARTER_CODE = `/**
@param {object} user - user being created
@param {string} user.id - user's ID (user GUID without "auth0|" database prefix)
@param {string} user.tenant - Auth0 tenant name
@param {string} user.username - user's username
@param {string} user.email - user's email
@param {boolean} user.emailVerified - indicates whether email is verified
@param {string} user.phoneNumber - user's phone number
@param {boolean} user.phoneNumberVerified - indicates whether phone number is verified
@param {object} user.user_metadata - user's user metadata
@param {object} user.app_metadata - user's application metadata
@param {object} context - Auth0 context info, such as connection
@param {string} context.requestLanguage - language of the application agent
@param {object} context.connection - connection info
@param {object} context.connection.id - connection ID
@param {object} context.connection.name - connection name
@param {object} context.connection.tenant - connection tenant
@param {object} context.webtask - Hook (webtask) context
@param {function} cb - function (error, response)
*/

module.exports = function (user, context, cb) {
  // Perform any asynchronous actions, such as send notification to Slack.
  cb();
};
`;

// The Runner's payload from the Auth0 Hooks docs.
const SAMPLE_PAYLOAD = {
  user: {
    tenant: 'my-tenant',
    username: 'user1',
    email: 'user1@foo.com',
    emailVerified: true,
    phoneNumber: '1-000-000-0000',
    phoneNumberVerified: true,
    user_metadata: { hobby: 'surfing' },
    app_metadata: { plan: 'full' },
  },
  context: {
    requestLanguage: 'en-us',
    connection: {
      id: 'con_xxxxxxxxxxxxxxxx',
      name: 'Username-Password-Authentication',
      tenant: 'my-tenant',
    },
  },
};

export const postUserRegistration: TriggerDefinition = {
  ...auth0Base(),
  id: 'post-user-registration',
  description:
    'Runs asynchronously after a new user of a database or passwordless connection is stored, e.g. to notify Slack or create a CRM record. The response is ignored.',
  signature: 'function (user, context, cb)',
  blocking: false,
  samplePayload: SAMPLE_PAYLOAD,
  requiredPayload: { user: 'object' },
  starterCode: STARTER_CODE,
  handlerArgs: (payload, inputs) => [argument(asRecord(payload).user), webtaskContext(asRecord(payload).context, inputs?.secrets)],
  userRoles: (payload) => appMetadataRoles(asRecord(payload).user),
  applyResponse: ignoreResponse,
  applyError: allowOnError,
};
