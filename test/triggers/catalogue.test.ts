import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { getTrigger, isTriggerId, TRIGGER_IDS, triggers, type TriggerId } from '../../src/triggers/index.ts';
import { runScript } from './run-script.ts';

const inputs = { secrets: { API_KEY: 'k' }, options: {} };

describe('trigger catalogue', () => {
  it('has exactly the seven documented triggers, in catalogue order', () => {
    expect(triggers.map((trigger) => trigger.id)).toEqual([
      'credentials-exchange',
      'pre-user-registration',
      'post-user-registration',
      'post-change-password',
      'send-phone-message',
      'pre-authentication',
      'user-migration',
    ]);
    expect(triggers.map((trigger) => trigger.id)).toEqual([...TRIGGER_IDS]);
  });

  it('finds triggers by id and nothing else', () => {
    for (const id of TRIGGER_IDS) expect(getTrigger(id)?.id).toBe(id);
    for (const id of ['', 'nope', 'toString', '__proto__', 'PRE-USER-REGISTRATION']) {
      expect(getTrigger(id)).toBeUndefined();
      expect(isTriggerId(id)).toBe(false);
    }
    expect(isTriggerId('user-migration')).toBe(true);
    expect(isTriggerId(42)).toBe(false);
  });

  it('says which triggers block the pipeline and which vendor each follows', () => {
    const shape = Object.fromEntries(triggers.map((t) => [t.id, [t.vendor, t.blocking]]));
    expect(shape).toEqual({
      'credentials-exchange': ['AUTH0', true],
      'pre-user-registration': ['AUTH0', true],
      'post-user-registration': ['AUTH0', false],
      'post-change-password': ['AUTH0', false],
      'send-phone-message': ['AUTH0', true],
      'pre-authentication': ['ONELOGIN', true],
      'user-migration': ['ONELOGIN', true],
    });
  });

  it('allows one enabled hook per trigger and keeps each default timeout under its ceiling', () => {
    for (const trigger of triggers) {
      expect(trigger.maxEnabledHooks).toBe(1);
      expect(trigger.defaultTimeoutMs).toBeGreaterThan(0);
      expect(trigger.defaultTimeoutMs).toBeLessThanOrEqual(trigger.timeoutCeilingMs);
    }
    // Auth0's webtasks ended runs at 20 s; OneLogin's timeout defaults to 1 s.
    expect(getTrigger('pre-user-registration')?.timeoutCeilingMs).toBe(20_000);
    expect(getTrigger('pre-authentication')?.defaultTimeoutMs).toBe(1_000);
    expect(getTrigger('user-migration')?.timeoutCeilingMs).toBe(10_000);
  });

  it('documents options only where the vendor has them', () => {
    expect(getTrigger('pre-authentication')?.optionDefaults).toEqual({
      risk_enabled: false,
      location_enabled: false,
      mfa_device_info_enabled: false,
    });
    for (const trigger of triggers.filter((t) => t.id !== 'pre-authentication')) {
      expect(trigger.optionDefaults).toEqual({});
    }
  });

  it('has a description, a signature and starter code that compiles, for every trigger', () => {
    for (const trigger of triggers) {
      expect(trigger.description.length).toBeGreaterThan(20);
      expect(trigger.signature).toMatch(/context/);
      expect(trigger.starterCode.trim()).not.toBe('');
      expect(() => new vm.Script(trigger.starterCode)).not.toThrow();
    }
    expect(getTrigger('credentials-exchange')?.starterCode).toContain(
      'module.exports = function(client, scope, audience, context, cb)',
    );
    expect(getTrigger('send-phone-message')?.starterCode).toContain('module.exports = function(recipient, text, context, cb)');
    expect(getTrigger('pre-authentication')?.starterCode).toContain('exports.handler = async (context)');
  });

  it('cannot be changed by one caller under another', () => {
    const sample = getTrigger('pre-user-registration')!.samplePayload as { user: { email: string } };
    expect(() => {
      sample.user.email = 'changed@example.com';
    }).toThrow(TypeError);
    expect(() => (triggers as unknown[]).push({})).toThrow(TypeError);
  });
});

describe('each starter code run on its sample payload', () => {
  // What the documented starter gives once the contract is applied.
  const expected: Record<TriggerId, { outcome: 'ALLOW' | 'DENY'; response: unknown }> = {
    'credentials-exchange': { outcome: 'ALLOW', response: { scope: ['read:connections'] } },
    'pre-user-registration': {
      outcome: 'ALLOW',
      response: { user: { user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full' } } },
    },
    'post-user-registration': { outcome: 'ALLOW', response: null },
    'post-change-password': { outcome: 'ALLOW', response: null },
    'send-phone-message': { outcome: 'ALLOW', response: null },
    'pre-authentication': { outcome: 'ALLOW', response: { success: true, user: { policy_id: 187345 } } },
    // The user-migration starter behaves like no hook at all: the unknown user is refused.
    'user-migration': { outcome: 'DENY', response: null },
  };

  for (const trigger of triggers) {
    it(`${trigger.id}: gives the documented result`, async () => {
      const args = trigger.handlerArgs(trigger.samplePayload, inputs);
      const { response, error } = await runScript(trigger.starterCode, args);
      expect(error).toBeUndefined();
      const result = trigger.applyResponse(response);
      expect({ outcome: result.outcome, response: result.response }).toEqual(expected[trigger.id]);
    });
  }
});

describe('contracts on odd input', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const oddResponses: unknown[] = [
    undefined, null, 0, Number.NaN, '', 'text', true, [], [1, 2], {}, Object.create(null),
    { user: [] }, { user: null }, { user: { app_metadata: 'x', user_metadata: [] } }, { scope: {} },
    { success: 'yes', user: 5 }, { success: true, user: { policy_id: {} } }, { 'https://example.com/c': cyclic },
    { user: { app_metadata: cyclic } }, cyclic,
  ];
  const oddPayloads: unknown[] = [{}, null, undefined, [], 'x', { user: 'x', context: 5, scope: 'a b' }];
  const oddErrors: unknown[] = [{}, null, undefined, { name: 42 }, { name: 'PreUserRegistrationError', userMessage: 7 }];

  for (const trigger of triggers) {
    it(`${trigger.id}: never throws and always gives an outcome`, () => {
      for (const response of oddResponses) {
        const result = trigger.applyResponse(response);
        expect(['ALLOW', 'DENY']).toContain(result.outcome);
        expect(Array.isArray(result.warnings)).toBe(true);
      }
      for (const error of oddErrors) {
        const result = trigger.applyError(error as never);
        expect(['ALLOW', 'DENY']).toContain(result.outcome);
        expect(result.userMessage ?? null).toBeNull();
      }
      for (const payload of oddPayloads) {
        expect(Array.isArray(trigger.handlerArgs(payload as never, undefined as never))).toBe(true);
        expect(trigger.userRoles(payload as never)).toEqual([]);
      }
    });
  }
});
