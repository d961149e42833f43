/**
 * Auth0 Hooks `credentials-exchange`: runs when `POST /oauth/token` issues an access token in a
 * client credentials grant; may change the token's scopes and add namespaced custom claims.
 */
import { argument, auth0Base, webtaskContext } from './auth0.ts';
import { allow, denyOnError } from './contract.ts';
import { asRecord, cloneJson, isRecord, joinPath, setOwn, type JsonRecord } from './json.ts';
import { claimNameProblem } from './namespaced-claims.ts';
import type { ContractResult, ContractWarning, TriggerDefinition } from './types.ts';

// The starter code, verbatim from the Auth0 Hooks docs.
const STARTER_CODE = `/**
@param {object} client - information about the client
@param {string} client.name - name of client
@param {string} client.id - client id
@param {string} client.tenant - Auth0 tenant name
@param {object} client.metadata - client metadata
@param {array|undefined} scope - array of strings representing the scope claim or undefined
@param {string} audience - token's audience claim
@param {object} context - additional authorization context
@param {object} context.webtask - webtask context
@param {function} cb - function (error, accessTokenClaims)
*/
module.exports = function(client, scope, audience, context, cb) {
  var access_token = {};
  access_token.scope = scope;

  // Modify scopes or add extra claims
  // access_token['https://example.com/claim'] = 'bar';
  // access_token.scope.push('extra');

  cb(null, access_token);
};
`;

// The Runner's payload from the Auth0 Hooks docs. It has no context: the hook gets one anyway.
const SAMPLE_PAYLOAD = {
  audience: 'https://my-tenant.auth0.com/api/v2/',
  client: {
    id: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    name: 'client-name',
    tenant: 'my-tenant',
    metadata: { plan: 'full' },
  },
  scope: ['read:connections'],
};

/** The token's scope: an array of strings. Other entries are dropped; a missing scope is left out. */
function effectiveScope(scope: unknown, warnings: ContractWarning[]): string[] | undefined {
  if (scope === undefined || scope === null) return undefined;
  if (!Array.isArray(scope)) {
    warnings.push({ path: 'scope', reason: 'scope must be an array of strings; it was ignored.' });
    return undefined;
  }
  return scope.filter((entry, index) => {
    if (typeof entry === 'string') return true;
    warnings.push({ path: joinPath('scope', index), reason: 'Each scope must be a string; this entry was dropped.' });
    return false;
  });
}

function applyResponse(response: unknown): ContractResult {
  if (response === undefined || response === null) return allow({});
  if (!isRecord(response)) {
    return allow({}, [{ path: '', reason: 'The response must be an object of access token claims; it was ignored.' }]);
  }
  const warnings: ContractWarning[] = [];
  const token: JsonRecord = {};
  const scope = effectiveScope(response.scope, warnings);
  if (scope !== undefined) token.scope = scope;
  for (const [key, value] of Object.entries(response)) {
    if (key === 'scope') continue;
    const problem = claimNameProblem(key);
    if (problem !== null) {
      warnings.push({ path: key, reason: `${problem} The property was ignored.` });
      continue;
    }
    const claim = cloneJson(value);
    if (claim !== undefined) setOwn(token, key, claim);
  }
  return allow(token, warnings);
}

export const credentialsExchange: TriggerDefinition = {
  ...auth0Base(),
  id: 'credentials-exchange',
  description:
    'Runs when an access token is issued for the client credentials grant. Can change the token\'s scopes and add namespaced custom claims.',
  signature: 'function (client, scope, audience, context, cb)',
  blocking: true,
  samplePayload: SAMPLE_PAYLOAD,
  requiredPayload: { client: 'object' },
  starterCode: STARTER_CODE,
  handlerArgs: (payload, inputs) => {
    const { client, scope, audience, context } = asRecord(payload);
    return [argument(client), argument(scope), argument(audience), webtaskContext(context, inputs?.secrets)];
  },
  // A client credentials grant has no user, hence no roles: `~` conditions never match here.
  userRoles: () => [],
  applyResponse,
  applyError: denyOnError,
};
