import { describe, expect, it } from 'vitest';
import { conditionsMatch, getTrigger, isValidCondition, type HookCondition } from '../../src/triggers/index.ts';

const preAuth = getTrigger('pre-authentication')!;
const preRegistration = getTrigger('pre-user-registration')!;
const credentials = getTrigger('credentials-exchange')!;

const has = (value: string): HookCondition => ({ source: 'roles', operator: '~', value });
const lacks = (value: string): HookCondition => ({ source: 'roles', operator: '!~', value });

const oneLoginUser = { user: { user_identifier: 'jim', policy_id: 1, roles: [123456, 777] } };

describe('hook conditions', () => {
  it('match when there are none', () => {
    expect(conditionsMatch(preAuth, [], oneLoginUser)).toBe(true);
    expect(conditionsMatch(preAuth, undefined, oneLoginUser)).toBe(true);
    expect(conditionsMatch(preAuth, null, {})).toBe(true);
  });

  it('~ matches users who have the role, whether role ids are numbers or strings', () => {
    expect(conditionsMatch(preAuth, [has('123456')], oneLoginUser)).toBe(true);
    expect(conditionsMatch(preAuth, [has('999')], oneLoginUser)).toBe(false);
    expect(conditionsMatch(preAuth, [has('123456')], { user: { roles: ['123456'] } })).toBe(true);
  });

  it('!~ matches users who do not have the role', () => {
    expect(conditionsMatch(preAuth, [lacks('123456')], oneLoginUser)).toBe(false);
    expect(conditionsMatch(preAuth, [lacks('999')], oneLoginUser)).toBe(true);
  });

  it('require every condition to hold', () => {
    expect(conditionsMatch(preAuth, [has('123456'), has('777')], oneLoginUser)).toBe(true);
    expect(conditionsMatch(preAuth, [has('123456'), lacks('777')], oneLoginUser)).toBe(false);
  });

  it('treat a user without roles as having none', () => {
    expect(conditionsMatch(preAuth, [has('123456')], preAuth.samplePayload)).toBe(false);
    expect(conditionsMatch(preAuth, [lacks('123456')], preAuth.samplePayload)).toBe(true);
    expect(conditionsMatch(preAuth, [lacks('1')], { user: { roles: 'admin' } })).toBe(true);
  });

  it('read Auth0 roles from app_metadata.roles', () => {
    const payload = { user: { app_metadata: { roles: ['beta'] } }, context: {} };
    expect(conditionsMatch(preRegistration, [has('beta')], payload)).toBe(true);
    expect(conditionsMatch(preRegistration, [lacks('beta')], payload)).toBe(false);
  });

  it('never match ~ where the payload has no user', () => {
    expect(conditionsMatch(credentials, [has('beta')], credentials.samplePayload)).toBe(false);
    expect(conditionsMatch(credentials, [lacks('beta')], credentials.samplePayload)).toBe(true);
  });

  it('skip the hook on a condition they cannot evaluate', () => {
    const odd = [
      { source: 'groups', operator: '~', value: '123456' },
      { source: 'roles', operator: '==', value: '123456' },
      { source: 'roles', operator: '~', value: '' },
      { source: 'roles', operator: '~', value: 123456 },
      null,
    ];
    for (const condition of odd) {
      expect(isValidCondition(condition)).toBe(false);
      expect(conditionsMatch(preAuth, [condition as HookCondition], oneLoginUser)).toBe(false);
    }
    expect(isValidCondition(has('123456'))).toBe(true);
  });
});
