import { describe, expect, it } from 'vitest';
import { getTrigger } from '../../src/triggers/index.ts';
import { runScript } from './run-script.ts';

const trigger = getTrigger('pre-user-registration')!;
const inputs = { secrets: { SLACK_URL: 'https://hooks.example.com/x' }, options: {} };

// The "Add metadata to new users" sample from the Auth0 Hooks docs.
const METADATA_SAMPLE = `module.exports = function (user, context, cb) {
  var response = {};

  response.user = {
   user_metadata: { foo: 'bar' },
   app_metadata: { vip: true, score: 7 }
  };

  cb(null, response);
};
`;

// The docs' "customize the error message" sample, with its elided condition filled in.
const DENIAL_SAMPLE = `module.exports = function (user, context, cb) {
  const isUserDenied = user.email.endsWith('@foo.com');

  if (isUserDenied) {
    const LOCALIZED_MESSAGES = {
      en: 'You are not allowed to register.',
      es: 'No tienes permitido registrarte.'
    };

    const localizedMessage = LOCALIZED_MESSAGES[context.renderLanguage] || LOCALIZED_MESSAGES['en'];
    return cb(new PreUserRegistrationError('Denied user registration in Pre-User Registration Hook', localizedMessage));
  }
  cb(null, {});
};
`;

describe('pre-user-registration handler arguments', () => {
  it('passes the user and a copy of the context with the hook secrets', () => {
    const payload = structuredClone(trigger.samplePayload);
    const [user, context] = trigger.handlerArgs(payload, inputs) as [Record<string, unknown>, Record<string, unknown>];
    expect(user).toEqual(trigger.samplePayload.user);
    expect(context).toEqual({ ...(trigger.samplePayload.context as object), webtask: { secrets: inputs.secrets } });
  });

  it('never changes the payload, and ignores a webtask the caller put in it', () => {
    const payload = { user: { email: 'a@b.c' }, context: { webtask: { secrets: { API_KEY: 'from-payload' } } } };
    const before = structuredClone(payload);
    const [user, context] = trigger.handlerArgs(payload, inputs) as [Record<string, unknown>, { webtask: unknown }];
    (user as { email: string }).email = 'changed';
    expect(payload).toEqual(before);
    expect(context.webtask).toEqual({ secrets: inputs.secrets });
  });
});

describe('pre-user-registration responses', () => {
  it('applies the documented metadata sample as is, without warnings', async () => {
    const { response } = await runScript(METADATA_SAMPLE, trigger.handlerArgs(trigger.samplePayload, inputs));
    const result = trigger.applyResponse(response);
    expect(result).toEqual({
      outcome: 'ALLOW',
      response: { user: { user_metadata: { foo: 'bar' }, app_metadata: { vip: true, score: 7 } } },
      warnings: [],
    });
  });

  it('keeps only the metadata of the starter response and says why the rest was dropped', async () => {
    const { response } = await runScript(trigger.starterCode, trigger.handlerArgs(trigger.samplePayload, inputs));
    const result = trigger.applyResponse(response);
    expect(result.response).toEqual({ user: { user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full' } } });
    expect(result.warnings.map((w) => w.path)).toEqual([
      'user.tenant',
      'user.username',
      'user.password',
      'user.email',
      'user.emailVerified',
      'user.phoneNumber',
      'user.phoneNumberVerified',
    ]);
    expect(result.warnings[2]!.reason).toMatch(/user_metadata and app_metadata/);
    // A warning names the key, never the password itself.
    expect(JSON.stringify(result.warnings)).not.toContain('xxxxxxx');
  });

  it('drops metadata keys that start with $ or contain a dot, at any depth', () => {
    const result = trigger.applyResponse({
      user: {
        app_metadata: { $plan: 'gold', 'a.b': 1, ok: { $inner: 1, kept: true, list: [{ 'x.y': 2, z: 3 }] } },
        user_metadata: { 'dot.ted': 'x', fine: 'y' },
      },
    });
    expect(result.outcome).toBe('ALLOW');
    expect(result.response).toEqual({
      user: { app_metadata: { ok: { kept: true, list: [{ z: 3 }] } }, user_metadata: { fine: 'y' } },
    });
    expect(result.warnings.map((w) => w.path)).toEqual([
      'user.user_metadata.dot.ted',
      'user.app_metadata.$plan',
      'user.app_metadata.a.b',
      'user.app_metadata.ok.$inner',
      'user.app_metadata.ok.list.0.x.y',
    ]);
    expect(result.warnings[1]!.reason).toBe('Metadata key "$plan" starts with "$", which metadata names may not. It was dropped.');
    expect(result.warnings[2]!.reason).toMatch(/"a\.b" contains "\."/);
  });

  it('stores a __proto__ key as data, never as a prototype', () => {
    const result = trigger.applyResponse(JSON.parse('{"user":{"app_metadata":{"__proto__":{"admin":true}}}}'));
    const metadata = (result.response as { user: { app_metadata: Record<string, unknown> } }).user.app_metadata;
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.hasOwn(metadata, '__proto__')).toBe(true);
    expect((metadata as { admin?: boolean }).admin).toBeUndefined();
  });

  it('allows an empty answer and warns about answers of the wrong shape', () => {
    expect(trigger.applyResponse(undefined)).toEqual({ outcome: 'ALLOW', response: {}, warnings: [] });
    expect(trigger.applyResponse({})).toEqual({ outcome: 'ALLOW', response: {}, warnings: [] });
    for (const odd of ['ok', 42, [{ user: {} }]]) {
      const result = trigger.applyResponse(odd);
      expect(result.outcome).toBe('ALLOW');
      expect(result.response).toEqual({});
      expect(result.warnings).toEqual([{ path: '', reason: expect.stringMatching(/must be an object/) }]);
    }
    const shaped = trigger.applyResponse({ user: { app_metadata: null, user_metadata: ['a'] }, context: {} });
    expect(shaped.response).toEqual({ user: {} });
    expect(shaped.warnings.map((w) => w.path)).toEqual(['context', 'user.user_metadata', 'user.app_metadata']);
    expect(trigger.applyResponse({ user: 'bob' }).warnings).toEqual([{ path: 'user', reason: expect.any(String) }]);
  });
});

describe('pre-user-registration errors', () => {
  it('denies with the user message of a PreUserRegistrationError', async () => {
    const args = trigger.handlerArgs({ ...trigger.samplePayload, context: { renderLanguage: 'es' } }, inputs);
    const { error } = await runScript(DENIAL_SAMPLE, args);
    expect(trigger.applyError(error!)).toEqual({
      outcome: 'DENY',
      response: null,
      warnings: [],
      userMessage: 'No tienes permitido registrarte.',
      // The hook chose this outcome: never retried.
      deliberate: true,
    });
  });

  it('lets the registration through when the same script does not deny', async () => {
    const payload = { ...trigger.samplePayload, user: { email: 'someone@example.com' } };
    const { response, error } = await runScript(DENIAL_SAMPLE, trigger.handlerArgs(payload, inputs));
    expect(error).toBeUndefined();
    expect(trigger.applyResponse(response).outcome).toBe('ALLOW');
  });

  it('fails closed on any other error, without a user message', () => {
    for (const name of ['Error', 'TypeError', 'TimeoutError', 'MemoryLimitError']) {
      expect(trigger.applyError({ name, message: 'boom', userMessage: 'not for users' })).toMatchObject({
        outcome: 'DENY',
        userMessage: null,
      });
    }
    expect(trigger.applyError({ name: 'PreUserRegistrationError', message: 'log only' }).userMessage).toBeNull();
  });
});

describe('pre-user-registration roles', () => {
  it('reads role ids from app_metadata.roles', () => {
    expect(trigger.userRoles({ user: { app_metadata: { roles: ['admin', 42, null, ''] } } })).toEqual(['admin', '42']);
    expect(trigger.userRoles(trigger.samplePayload)).toEqual([]);
  });
});
