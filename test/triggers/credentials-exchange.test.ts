import { describe, expect, it } from 'vitest';
import { getTrigger } from '../../src/triggers/index.ts';
import { isNamespacedClaim } from '../../src/triggers/namespaced-claims.ts';
import { runScript } from './run-script.ts';

const trigger = getTrigger('credentials-exchange')!;
const inputs = { secrets: { CLAIM_SOURCE: 'https://api.example.com' }, options: {} };

// The docs' examples "Add Scope to the Access Token" and "Add a Claim to the Access Token".
const ADD_SCOPE = `module.exports = function(client, scope, audience, context, cb) {
    var access_token = {};
    access_token.scope = scope;
    access_token.scope.push('read:resource');
    cb(null, access_token);
};`;
const ADD_CLAIM = `module.exports = function(client, scope, audience, context, cb) {
    var access_token = {};
    access_token['https://example.com/foo'] = 'bar';
    cb(null, access_token);
  };`;

describe('credentials-exchange handler arguments', () => {
  it('passes client, scope, audience and a context with the secrets, though the sample has no context', () => {
    expect(trigger.handlerArgs(trigger.samplePayload, inputs)).toEqual([
      trigger.samplePayload.client,
      ['read:connections'],
      'https://my-tenant.auth0.com/api/v2/',
      { webtask: { secrets: inputs.secrets } },
    ]);
  });

  it('passes null for a missing scope and keeps the payload untouched', () => {
    const payload = { client: { id: 'c' }, audience: 'https://api', context: { ip: '1.2.3.4' } };
    const before = structuredClone(payload);
    const [, scope, , context] = trigger.handlerArgs(payload, inputs);
    expect(scope).toBeNull();
    expect(context).toEqual({ ip: '1.2.3.4', webtask: { secrets: inputs.secrets } });
    expect(payload).toEqual(before);
  });
});

describe('credentials-exchange responses', () => {
  it('gives the documented results of the docs examples', async () => {
    const args = trigger.handlerArgs(trigger.samplePayload, inputs);
    const scoped = trigger.applyResponse((await runScript(ADD_SCOPE, args)).response);
    expect(scoped).toEqual({ outcome: 'ALLOW', response: { scope: ['read:connections', 'read:resource'] }, warnings: [] });
    const claimed = trigger.applyResponse((await runScript(ADD_CLAIM, args)).response);
    expect(claimed).toEqual({ outcome: 'ALLOW', response: { 'https://example.com/foo': 'bar' }, warnings: [] });
  });

  it('keeps namespaced claims of any JSON value', () => {
    const response = {
      'https://example.com/roles': ['a', 'b'],
      'http://example.org/profile': { tier: 2 },
      'https://notauth0.com/x': true,
      'https://auth0.com.example.org/x': 1,
      'https://api.example.com:8443/claims/plan': 'gold',
    };
    expect(trigger.applyResponse(response)).toEqual({ outcome: 'ALLOW', response, warnings: [] });
  });

  it('drops claims on Auth0 hosts and their subdomains, with a warning each', () => {
    const reserved = [
      'https://auth0.com/claim',
      'https://my-tenant.auth0.com/claim',
      'http://webtask.io/claim',
      'https://sandbox.it.webtask.io/claim',
      'https://x.webtask.run/claim',
      'https://AUTH0.COM/upper',
      'https://auth0.com./trailing-dot',
    ];
    const result = trigger.applyResponse(Object.fromEntries(reserved.map((key) => [key, 'v'])));
    expect(result.outcome).toBe('ALLOW');
    expect(result.response).toEqual({});
    expect(result.warnings.map((w) => w.path)).toEqual(reserved);
    expect(result.warnings[1]!.reason).toMatch(/reserved by Auth0/);
  });

  it('drops names that are not http(s) URLs', () => {
    const names = ['foo', 'roles', 'urn:example:claim', 'ftp://example.com/x', 'example.com/claim', '//example.com/x', ''];
    const result = trigger.applyResponse({ scope: ['a'], ...Object.fromEntries(names.map((key) => [key, 1])) });
    expect(result.response).toEqual({ scope: ['a'] });
    expect(result.warnings.map((w) => w.path)).toEqual(names);
    expect(result.warnings[0]!.reason).toMatch(/must be http or https URLs/);
    for (const name of names) expect(isNamespacedClaim(name)).toBe(false);
  });

  it('keeps only the string entries of scope and ignores a scope of another type', () => {
    const mixed = trigger.applyResponse({ scope: ['read:a', 7, null, 'write:b'] });
    expect(mixed.response).toEqual({ scope: ['read:a', 'write:b'] });
    expect(mixed.warnings.map((w) => w.path)).toEqual(['scope.1', 'scope.2']);
    const text = trigger.applyResponse({ scope: 'read:a write:b' });
    expect(text.response).toEqual({});
    expect(text.warnings).toEqual([{ path: 'scope', reason: expect.stringMatching(/array of strings/) }]);
    // The starter copies an absent scope through: nothing to warn about.
    expect(trigger.applyResponse({ scope: null })).toEqual({ outcome: 'ALLOW', response: {}, warnings: [] });
  });

  it('warns about a response that is not an object', () => {
    for (const odd of ['token', 3, ['https://example.com/x']]) {
      expect(trigger.applyResponse(odd)).toEqual({
        outcome: 'ALLOW',
        response: {},
        warnings: [{ path: '', reason: expect.stringMatching(/must be an object/) }],
      });
    }
  });
});

describe('credentials-exchange errors and roles', () => {
  it('denies the token on any error', () => {
    expect(trigger.applyError({ name: 'Error', message: 'no' })).toEqual({
      outcome: 'DENY',
      response: null,
      warnings: [],
      userMessage: null,
    });
    expect(trigger.applyError({ name: 'TimeoutError', message: 'slow' }).outcome).toBe('DENY');
  });

  it('has no user, so no roles', () => {
    expect(trigger.userRoles({ ...trigger.samplePayload, user: { app_metadata: { roles: ['x'] } } })).toEqual([]);
  });
});
