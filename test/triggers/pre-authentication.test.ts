import { describe, expect, it } from 'vitest';
import { getTrigger } from '../../src/triggers/index.ts';
import { runScript } from './run-script.ts';

const trigger = getTrigger('pre-authentication')!;
const noOptions = { secrets: {}, options: {} };

// OneLogin's create-hook example (also /work/shared/samples/onelogin-pre-authentication.js).
const CREATE_HOOK_SAMPLE = `
exports.handler = async (context) => {
    console.log(context)
    return {
        user: context.user
    }
}
`;

describe('pre-authentication context', () => {
  it('leaves out risk, location and MFA devices unless their option is on', () => {
    const [context] = trigger.handlerArgs(trigger.samplePayload, noOptions) as [Record<string, unknown>];
    expect(Object.keys(context).sort()).toEqual(['app', 'device', 'user']);
    expect(context.user).toEqual(trigger.samplePayload.user);
  });

  it('adds each optional part for its own option only', () => {
    const cases = [
      ['risk_enabled', 'risk'],
      ['location_enabled', 'location'],
      ['mfa_device_info_enabled', 'mfa_devices'],
    ] as const;
    for (const [option, key] of cases) {
      const [context] = trigger.handlerArgs(trigger.samplePayload, { secrets: {}, options: { [option]: true } }) as [
        Record<string, unknown>,
      ];
      expect(context[key]).toEqual(trigger.samplePayload[key]);
      expect(Object.keys(context).filter((k) => ['risk', 'location', 'mfa_devices'].includes(k))).toEqual([key]);
    }
  });

  it('takes only true as on, and never changes the payload', () => {
    const payload = structuredClone(trigger.samplePayload);
    const options = { risk_enabled: 'true', location_enabled: 1, mfa_device_info_enabled: false };
    const [context] = trigger.handlerArgs(payload, { secrets: {}, options }) as [Record<string, unknown>];
    expect(context).not.toHaveProperty('risk');
    expect(context).not.toHaveProperty('location');
    expect(payload).toEqual(trigger.samplePayload);
    (context.user as { policy_id: number }).policy_id = 1;
    expect(payload.user).toEqual(trigger.samplePayload.user);
  });
});

describe('pre-authentication responses', () => {
  it('applies the policy of OneLogin\'s create-hook sample and drops the rest of the user', async () => {
    const { response } = await runScript(CREATE_HOOK_SAMPLE, trigger.handlerArgs(trigger.samplePayload, noOptions));
    const result = trigger.applyResponse(response);
    expect(result.outcome).toBe('ALLOW');
    expect(result.response).toEqual({ success: true, user: { policy_id: 187345 } });
    expect(result.warnings.map((w) => w.path)).toEqual(['user.user_identifier', 'user.id', 'user.last_login_success']);
  });

  it('denies the login when success is false', () => {
    expect(trigger.applyResponse({ success: false, user: { policy_id: 1 } })).toEqual({
      outcome: 'DENY',
      response: null,
      warnings: [],
      userMessage: null,
    });
  });

  it('fails closed on a success that is not a boolean and on a missing answer', () => {
    const odd = trigger.applyResponse({ success: 'false', user: { policy_id: 1 } });
    expect(odd.outcome).toBe('DENY');
    expect(odd.warnings).toEqual([{ path: 'success', reason: expect.stringMatching(/true or false/) }]);
    for (const response of [undefined, null, 'ok', [{ success: true }]]) {
      const result = trigger.applyResponse(response);
      expect(result.outcome).toBe('DENY');
      expect(result.warnings).toEqual([{ path: '', reason: expect.stringMatching(/must be an object/) }]);
    }
  });

  it('accepts a policy id given as a string of digits, as env vars are', () => {
    expect(trigger.applyResponse({ success: true, user: { policy_id: '351437' } })).toEqual({
      outcome: 'ALLOW',
      response: { success: true, user: { policy_id: 351437 } },
      warnings: [],
    });
  });

  it('keeps the assigned policy, with a warning, when the policy id is not a whole number', () => {
    for (const policy_id of ['gold', -3, 1.5, {}, true]) {
      const result = trigger.applyResponse({ success: true, user: { policy_id } });
      expect(result.outcome).toBe('ALLOW');
      expect(result.response).toEqual({ success: true, user: {} });
      expect(result.warnings.map((w) => w.path)).toEqual(['user.policy_id']);
    }
  });

  it('warns about keys it does not read', () => {
    const result = trigger.applyResponse({ success: true, user: 'x', message: 'hi' });
    expect(result.response).toEqual({ success: true, user: {} });
    expect(result.warnings.map((w) => w.path)).toEqual(['message', 'user']);
  });

  it('denies on any error', () => {
    expect(trigger.applyError({ name: 'TimeoutError', message: 'took 1s' }).outcome).toBe('DENY');
  });

  it('reads role ids from user.roles, numbers included', () => {
    expect(trigger.userRoles({ user: { roles: [123456, '654321'] } })).toEqual(['123456', '654321']);
    expect(trigger.userRoles(trigger.samplePayload)).toEqual([]);
  });
});
