/**
 * Auth0 Hooks `send-phone-message`: sends the SMS of multi-factor authentication through the
 * tenant's own provider. Blocking, since the code must go out before the user can enter it; the
 * response is ignored, and a failed hook means no message, so the step is denied.
 */
import { appMetadataRoles, argument, auth0Base, webtaskContext } from './auth0.ts';
import { denyOnError, ignoreResponse } from './contract.ts';
import { asRecord, secretText, valueAt } from './json.ts';
import type { TriggerDefinition } from './types.ts';

// The starter code, verbatim from the Auth0 Hooks docs.
const STARTER_CODE = `/**
@param {string} recipient - phone number
@param {string} text - message body
@param {object} context - additional authorization context
@param {string} context.message_type - 'sms'; we'll support 'voice' in the future too
@param {string} context.action - 'enrollment' or 'second-factor-authentication'
@param {string} context.language - language used by login flow
@param {string} context.code - one-time password
@param {string} context.ip - ip address
@param {string} context.user_agent - user agent making the authentication request
@param {object} context.client - object with details about the Auth0 application
@param {string} context.client.client_id - Auth0 application ID
@param {string} context.client.name - Auth0 application name
@param {object} context.client.client_metadata - metadata from client
@param {object} context.user - object representing the user
@param {string} context.user.user_id - Auth0 user's ID
@param {string} context.user.name - user's name
@param {string} context.user.email - user 'semail
@param {object} context.user.app_metadata - metadata specific to user and application
@param {object} context.user.user_metadata - metadata specific to user
@param {function} cb - function (error, response)
*/
module.exports = function(recipient, text, context, cb) {
 // TODO: Add your code here
  cb(null, {});
};
`;

// The example parameters from the Auth0 Hooks docs.
const SAMPLE_PAYLOAD = {
  recipient: '1-808-555-5555',
  text: 'Here is your one time password: 999111',
  context: {
    message_type: 'sms',
    action: 'enrollment',
    language: 'en',
    code: '123456',
    ip: '127.0.0.1',
    user_agent: 'Mozilla/5.0',
    client: {
      client_id: '1235',
      name: 'Test Application',
      client_metadata: {},
    },
    user: {
      user_id: 'auth0|test12345',
      name: 'Billie Magnusson',
      email: 'billie@email.com',
      app_metadata: {},
      user_metadata: {},
    },
  },
};

export const sendPhoneMessage: TriggerDefinition = {
  ...auth0Base(),
  id: 'send-phone-message',
  description:
    'Sends the SMS of multi-factor authentication (enrollment or second factor) through your own provider. The response is ignored; a failed hook denies the step.',
  signature: 'function (recipient, text, context, cb)',
  blocking: true,
  samplePayload: SAMPLE_PAYLOAD,
  requiredPayload: { recipient: 'string', text: 'string' },
  starterCode: STARTER_CODE,
  handlerArgs: (payload, inputs) => {
    const { recipient, text, context } = asRecord(payload);
    return [argument(recipient), argument(text), webtaskContext(context, inputs?.secrets)];
  },
  // The one-time code, and the message that carries it.
  sensitiveValues: (payload) => [valueAt(payload, ['text']), valueAt(payload, ['context', 'code'])].map(secretText).filter((v) => v !== undefined),
  userRoles: (payload) => appMetadataRoles(valueAt(payload, ['context', 'user'])),
  applyResponse: ignoreResponse,
  applyError: denyOnError,
};
