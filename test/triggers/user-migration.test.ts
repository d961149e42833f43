import { describe, expect, it } from 'vitest';
import { getTrigger } from '../../src/triggers/index.ts';

const trigger = getTrigger('user-migration')!;

const migrated = {
  success: true,
  user: {
    username: 'jim-hendrix',
    firstname: 'Jim',
    lastname: 'Hendrix',
    email: 'jim@example.com',
    department: 'Migration Hook User',
    custom_attributes: { costCenter: 'C-12' },
  },
};

describe('user-migration context', () => {
  it('is the payload, whole: this type has no options', () => {
    const options = { risk_enabled: true };
    expect(trigger.handlerArgs(trigger.samplePayload, { secrets: {}, options })).toEqual([trigger.samplePayload]);
    expect(trigger.optionDefaults).toEqual({});
  });
});

describe('user-migration responses', () => {
  it('migrates the user a successful hook returns', () => {
    expect(trigger.applyResponse(migrated)).toEqual({ outcome: 'ALLOW', response: migrated, warnings: [] });
  });

  it('never hands a password back to the pipeline', () => {
    const result = trigger.applyResponse({ success: true, user: { ...migrated.user, password: 'top-secret-password' } });
    expect(result).toMatchObject({ outcome: 'ALLOW', response: migrated });
    expect(result.warnings).toEqual([{ path: 'user.password', reason: expect.stringContaining('never returned') }]);
  });

  it('refuses the login when success is false, without warnings', () => {
    expect(trigger.applyResponse({ success: false, user: {} })).toEqual({
      outcome: 'DENY',
      response: null,
      warnings: [],
      userMessage: null,
    });
  });

  it('fails closed unless success is exactly true', () => {
    for (const response of [{ user: migrated.user }, { success: 'true', user: migrated.user }]) {
      const result = trigger.applyResponse(response);
      expect(result.outcome).toBe('DENY');
      expect(result.warnings.map((w) => w.path)).toEqual(['success']);
    }
    expect(trigger.applyResponse(null).outcome).toBe('DENY');
  });

  it('needs a user object with a username or an email', () => {
    const noUser = trigger.applyResponse({ success: true, user: null });
    expect(noUser.outcome).toBe('DENY');
    expect(noUser.warnings.map((w) => w.path)).toEqual(['user']);
    const anonymous = trigger.applyResponse({ success: true, user: { firstname: 'Jim', username: ' ' } });
    expect(anonymous.outcome).toBe('DENY');
    expect(anonymous.warnings).toEqual([{ path: 'user', reason: expect.stringMatching(/username or an email/) }]);
  });

  it('drops attributes OneLogin users do not have, and values of the wrong type', () => {
    const result = trigger.applyResponse({
      success: true,
      user: { email: 'a@b.c', favourite_colour: 'blue', custom_attributes: 'x', role_ids: [1, 'two'], title: { a: 1 } },
      extra: true,
    });
    expect(result.outcome).toBe('ALLOW');
    expect(result.response).toEqual({ success: true, user: { email: 'a@b.c' } });
    expect(result.warnings.map((w) => w.path)).toEqual([
      'extra',
      'user.favourite_colour',
      'user.title',
      'user.role_ids',
      'user.custom_attributes',
    ]);
  });

  it('denies on any error, and has no roles for a user that does not exist yet', () => {
    expect(trigger.applyError({ name: 'Error', message: 'legacy store down' }).outcome).toBe('DENY');
    expect(trigger.userRoles({ user: { roles: [1] } })).toEqual([]);
  });
});
