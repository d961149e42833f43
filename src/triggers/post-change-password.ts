/**
 * Auth0 Hooks `post-change-password`: runs asynchronously after a user's password changed, e.g.
 * to send a notification email. Its outcome does not affect the change; any response is ignored.
 */
import { appMetadataRoles, argument, auth0Base, webtaskContext } from './auth0.ts';
import { allowOnError, ignoreResponse } from './contract.ts';
import { asRecord } from './json.ts';
import type { TriggerDefinition } from './types.ts';

// The starter code, verbatim from the Auth0 Hooks docs.
const STARTER_CODE = `/**
@param {object} user - affected user
@param {string} user.id - user's ID
@param {string} user.username - user's username
@param {string} user.email - user's email
@param {string} user.last_password_reset - date/time the user's password was last changed
@param {object} context - Auth0 context info, such as connection
@param {object} context.connection - connection info
@param {object} context.connection.id - connection ID
@param {object} context.connection.name - connection name
@param {object} context.connection.tenant - connection tenant
@param {object} context.webtask - Hook (webtask) context
@param {function} cb - function (error)
**/

module.exports = function (user, context, cb) {
  // Perform any asynchronous actions, e.g. send notification to Slack.
  cb();
};
`;

// The Runner's payload from the Auth0 Hooks docs.
const SAMPLE_PAYLOAD = {
  user: {
    id: 'abc123',
    username: 'user1',
    email: 'user1@foo.com',
    last_password_reset: '2019-02-27T14:14:29.206Z',
  },
  context: {
    connection: {
      id: 'con_xxxxxxxxxxxxxxxx',
      name: 'Username-Password-Authentication',
      tenant: 'my-tenant',
    },
  },
};

export const postChangePassword: TriggerDefinition = {
  ...auth0Base(),
  id: 'post-change-password',
  description:
    'Runs asynchronously after a database connection user\'s password was changed, by the user or an administrator, e.g. to send a notification email. The response is ignored.',
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
