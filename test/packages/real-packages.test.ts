/**
 * Real packages from the registry npm is configured with (as `npm install` fetches them), into a
 * cache under node_modules/.cache that later runs reuse: the modules Auth0's rules require most,
 * sending their requests to a local receiver through the sandbox's guarded fetch.
 */
import { generateKeyPairSync, verify as cryptoVerify } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageAllowlist } from '../../src/packages/allowlist.ts';
import { PackageBuilder } from '../../src/packages/builder.ts';
import { npmRegistry } from '../../src/packages/registry-config.ts';
import { createTestApp, logMessages, runHook, type TestApp } from '../helpers.ts';
import { startReceiver } from './receiver.ts';

const CACHE = new URL('../../node_modules/.cache/hookgate-test-packages/', import.meta.url).pathname;
let app: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  mkdirSync(CACHE, { recursive: true });
  receiver = await startReceiver();
  app = createTestApp({
    packages: new PackageBuilder({ dir: CACHE, registry: npmRegistry(), allow: packageAllowlist([]), maxBundleBytes: 16 * 1024 * 1024 }),
  });
});

afterAll(() => receiver.close());

const CREATE = `mutation($input: CreateHookInput!) { createHook(input: $input) { __typename ... on Error { message } ... on CreateHookSuccess { hook { id } } } }`;
const READ = `query($id: ID!) { hook(id: $id) { status buildError { code message } packages { name version } } }`;

/** Creates a hook, waits for its build and checks it is READY; returns its id and resolved packages. */
async function readyHook(input: Record<string, unknown>) {
  const created = (await app.ok(CREATE, { input })).createHook;
  expect(created.__typename).toBe('CreateHookSuccess');
  await app.services.builds!.idle();
  const hook = (await app.ok(READ, { id: created.hook.id })).hook;
  expect(hook.buildError).toBeNull();
  expect(hook.status).toBe('READY');
  return { id: created.hook.id as string, packages: hook.packages as { name: string; version: string }[] };
}

// The seed's Slack example (001), its lines restored where the seed lost them; SLACK_HOOK comes from a hook secret.
const SLACK_EXAMPLE = `module.exports = function (user, context, cb) {
  var SLACK_HOOK = context.webtask.secrets.SLACK_HOOK;

  // Post the new user's name and email address to the selected channel
  var slack = require('slack-notify')(SLACK_HOOK);
  var message = 'New User: ' + (user.name || user.email) + ' (' + user.email + ')';
  var channel = '#some_channel';

  slack.success({
   text: message,
   channel: channel
  });

  // Return immediately; the request to the Slack API will continue on the sandbox
  cb(null, user, context);
};`;

describe('real packages', { timeout: 300_000 }, () => {
  it("runs the seed's Slack example: it answers at once and the message still reaches Slack", async () => {
    const { id, packages } = await readyHook({ name: 'slack', triggerId: 'post-user-registration', script: SLACK_EXAMPLE });
    expect(packages.map((p) => p.name)).toEqual(['slack-notify']);
    await app.ok(`mutation($input: SetHookSecretsInput!) { setHookSecrets(input: $input) { __typename } }`, {
      input: { hookId: id, secrets: [{ name: 'SLACK_HOOK', value: `${receiver.url}/slack/T000/B000` }] },
    });
    const delivered = receiver.next('/slack/T000/B000');
    const execution = await runHook(app, { hookId: id, payload: { user: { name: 'Ada', email: 'ada@example.com' }, context: {} } });
    expect(execution.status).toBe('SUCCEEDED');
    const message = JSON.parse((await delivered).body);
    expect(message).toMatchObject({ text: 'New User: Ada (ada@example.com)', channel: '#some_channel', username: 'Success' });
  });

  it('runs a OneLogin hook with packages {"axios": "0.21.1"} reading process.env', async () => {
    await app.ok(`mutation { setEnvVar(input: {name: "API_KEY", value: "key-from-env-123"}) { __typename } }`);
    await app.ok(`mutation($v: String!) { setEnvVar(input: {name: "RISK_URL", value: $v}) { __typename } }`, { v: `${receiver.url}/risk` });
    const script = `exports.handler = async (context) => {
      const axios = require('axios');
      const answer = await axios.post(process.env.RISK_URL, { user: context.user.id }, { headers: { 'x-api-key': process.env.API_KEY } });
      console.log('risk service said', answer.status, JSON.stringify(answer.data));
      return { success: true, user: { policy_id: answer.data.bytes } };
    };`;
    const { id, packages } = await readyHook({
      name: 'onelogin-axios', triggerId: 'pre-authentication', script, dependencies: { axios: '0.21.1' }, envVarNames: ['API_KEY', 'RISK_URL'],
    });
    expect(packages).toEqual([{ name: 'axios', version: '0.21.1' }]);
    const execution = await runHook(app, { hookId: id, payload: { user: { id: 42 }, app: { id: 7 } } });
    expect(execution.error).toBeNull();
    const request = await receiver.next('/risk');
    expect(request.headers['x-api-key']).toBe('key-from-env-123');
    expect(JSON.parse(request.body)).toEqual({ user: 42 });
    expect(execution.response).toEqual({ success: true, user: { policy_id: 11 } });
    expect(logMessages(execution)).toEqual(['risk service said 200 {"received":"/risk","bytes":11}']);
  });

  it('runs axios 1.x, request and node-fetch@2 against the receiver', async () => {
    const script = `const axios = require('axios');
      const request = require('request');
      const fetch = require('node-fetch@2');
      module.exports = function (client, scope, audience, context, cb) {
        const base = context.webtask.secrets.BASE;
        axios.post(base + '/axios1', { via: 'axios' }).then((a) => {
          request.post({ url: base + '/request', json: { via: 'request' } }, (error, response, body) => {
            if (error) return cb(error);
            fetch(base + '/node-fetch', { method: 'POST', body: JSON.stringify({ via: 'node-fetch' }), headers: { 'content-type': 'application/json' } })
              .then((r) => r.json())
              .then((n) => cb(null, { axios: a.data.received, request: body.received, nodeFetch: n.received, status: response.statusCode }), cb);
          });
        }, cb);
      };`;
    const { id, packages } = await readyHook({ name: 'clients', triggerId: 'credentials-exchange', script, dependencies: { axios: '^1.7.0' } });
    expect(packages.map((p) => p.name)).toEqual(['axios', 'node-fetch', 'request']);
    expect(packages.find((p) => p.name === 'axios')!.version).toMatch(/^1\./);
    expect(packages.find((p) => p.name === 'node-fetch')!.version).toMatch(/^2\./);
    await app.ok(`mutation($input: SetHookSecretsInput!) { setHookSecrets(input: $input) { __typename } }`, { input: { hookId: id, secrets: [{ name: 'BASE', value: receiver.url }] } });
    const execution = await runHook(app, { hookId: id });
    expect(execution.error).toBeNull();
    expect(execution.response).toEqual({ axios: '/axios1', request: '/request', nodeFetch: '/node-fetch', status: 200 });
    expect(JSON.parse((await receiver.next('/request')).body)).toEqual({ via: 'request' });
  });

  it('runs lodash, uuid, jsonwebtoken, moment@2.11.2 and Node modules; fs is refused by name', async () => {
    const script = `const _ = require('lodash');
      const { v4: uuidv4, validate } = require('uuid');
      const jwt = require('jsonwebtoken');
      const crypto = require('crypto');
      const url = require('url');
      const querystring = require('querystring');
      const moment = require('moment@2.11.2');
      module.exports = function (user, context, cb) {
        const token = jwt.sign({ sub: user.username }, context.webtask.secrets.JWT_SECRET, { algorithm: 'HS256', expiresIn: 60 });
        const claims = jwt.verify(token, context.webtask.secrets.JWT_SECRET);
        let fsError;
        try { require('fs'); } catch (e) { fsError = e.message; }
        cb(null, { user: { app_metadata: {
          chunks: _.chunk([1, 2, 3, 4, 5], 2), id: validate(uuidv4()), sub: claims.sub, alg: JSON.parse(Buffer.from(token.split('.')[0], 'base64').toString()).alg,
          sha: crypto.createHash('sha256').update('abc').digest('hex').slice(0, 16), uuid: crypto.randomUUID().length,
          host: url.parse('https://example.com/a?b=1').host, qs: querystring.stringify({ a: 'b c' }), fsError,
          day: moment.utc('2020-02-03T04:05:06Z').format('YYYY-MM-DD'), moment: moment.version,
        } } });
      };`;
    const { id } = await readyHook({ name: 'pure', triggerId: 'pre-user-registration', script });
    await app.ok(`mutation($input: SetHookSecretsInput!) { setHookSecrets(input: $input) { __typename } }`, { input: { hookId: id, secrets: [{ name: 'JWT_SECRET', value: 'shhh-signing-key' }] } });
    const execution = await runHook(app, { hookId: id });
    expect(execution.error).toBeNull();
    expect(execution.response.user.app_metadata).toEqual({
      chunks: [[1, 2], [3, 4], [5]], id: true, sub: 'user1', alg: 'HS256', sha: 'ba7816bf8f01cfea', uuid: 36,
      host: 'example.com', qs: 'a=b%20c', fsError: 'The Node.js module "fs" is not available in hooks', day: '2020-02-03', moment: '2.11.2',
    });
  });

  it('signs and verifies RS256 and ES256 tokens with jsonwebtoken and PEM keys from secrets', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const script = `const jwt = require('jsonwebtoken');
      module.exports = function (user, context, cb) {
        const s = context.webtask.secrets;
        const rs = jwt.sign({ sub: 'rs' }, s.RSA_PRIVATE, { algorithm: 'RS256', keyid: 'k1' });
        const es = jwt.sign({ sub: 'es' }, s.EC_PRIVATE, { algorithm: 'ES256' });
        cb(null, { user: { app_metadata: { rs, es, checked: [jwt.verify(rs, s.RSA_PUBLIC).sub, jwt.verify(es, s.EC_PUBLIC).sub] } } });
      };`;
    const { id } = await readyHook({ name: 'asymmetric', triggerId: 'pre-user-registration', script });
    const secrets = [
      { name: 'RSA_PRIVATE', value: rsa.privateKey }, { name: 'RSA_PUBLIC', value: rsa.publicKey },
      { name: 'EC_PRIVATE', value: ec.privateKey }, { name: 'EC_PUBLIC', value: ec.publicKey },
    ];
    await app.ok(`mutation($input: SetHookSecretsInput!) { setHookSecrets(input: $input) { __typename } }`, { input: { hookId: id, secrets } });
    const execution = await runHook(app, { hookId: id });
    expect(execution.error).toBeNull();
    const { rs, es, checked } = execution.response.user.app_metadata;
    expect(checked).toEqual(['rs', 'es']);
    // Checked again by Node's own crypto.
    const verified = (token: string, key: string, algorithm: string) => {
      const [header, payload, signature] = token.split('.');
      return cryptoVerify(algorithm, Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'));
    };
    expect(verified(rs, rsa.publicKey, 'sha256')).toBe(true);
    expect(verified(es, ec.publicKey, 'sha256')).toBe(true);
  });

  it('runs moment-timezone, xmldom, xpath and loads auth0@2.30.0 with its clients', async () => {
    const script = `const moment = require('moment-timezone');
      const { DOMParser } = require('xmldom');
      const xpath = require('xpath');
      const { ManagementClient, AuthenticationClient } = require('auth0@2.30.0');
      module.exports = function (user, context, cb) {
        const doc = new DOMParser().parseFromString('<saml><attr name="role">admin</attr></saml>');
        const management = new ManagementClient({ domain: 'tenant.example.com', clientId: 'id', clientSecret: 'secret' });
        cb(null, { user: { app_metadata: {
          local: moment.tz('2020-01-01T12:00:00Z', 'America/New_York').format('YYYY-MM-DD HH:mm z'),
          role: xpath.select('string(//attr[@name="role"])', doc),
          management: typeof management.getUsers, authentication: typeof AuthenticationClient,
        } } });
      };`;
    const { id, packages } = await readyHook({ name: 'the-rest', triggerId: 'pre-user-registration', script });
    expect(packages.find((p) => p.name === 'auth0')!.version).toBe('2.30.0');
    const execution = await runHook(app, { hookId: id });
    expect(execution.error).toBeNull();
    expect(execution.response.user.app_metadata).toEqual({ local: '2020-01-01 07:00 EST', role: 'admin', management: 'function', authentication: 'function' });
  });
});
