import { describe, expect, it } from 'vitest';
import { getTrigger } from '../../src/triggers/index.ts';

const inputs = { secrets: { TWILIO_TOKEN: 't' }, options: {} };
const responses = [undefined, null, {}, { MessageID: '998a9ad1-c9b9-4b85-97b1-ac0305aa5532' }, 'x', [1]];

describe('post-user-registration and post-change-password', () => {
  for (const id of ['post-user-registration', 'post-change-password']) {
    const trigger = getTrigger(id)!;

    it(`${id}: is async and ignores whatever the hook answers`, () => {
      expect(trigger.blocking).toBe(false);
      for (const response of responses) {
        expect(trigger.applyResponse(response)).toEqual({ outcome: 'ALLOW', response: null, warnings: [] });
      }
    });

    it(`${id}: an error does not undo what already happened`, () => {
      expect(trigger.applyError({ name: 'Error', message: 'Slack is down' })).toEqual({
        outcome: 'ALLOW',
        response: null,
        warnings: [],
      });
    });

    it(`${id}: passes the user and a context with the secrets`, () => {
      const payload = trigger.samplePayload as { user: unknown; context: object };
      expect(trigger.handlerArgs(payload, inputs)).toEqual([
        payload.user,
        { ...payload.context, webtask: { secrets: inputs.secrets } },
      ]);
    });
  }

  it('post-user-registration reads roles from the user app_metadata', () => {
    const trigger = getTrigger('post-user-registration')!;
    expect(trigger.userRoles({ user: { app_metadata: { roles: ['staff'] } } })).toEqual(['staff']);
  });
});

describe('send-phone-message', () => {
  const trigger = getTrigger('send-phone-message')!;

  it('blocks, and ignores the response, documented MessageID included', () => {
    expect(trigger.blocking).toBe(true);
    for (const response of responses) {
      expect(trigger.applyResponse(response)).toEqual({ outcome: 'ALLOW', response: null, warnings: [] });
    }
  });

  it('denies when the message could not be sent', () => {
    expect(trigger.applyError({ name: 'Error', message: 'provider refused' })).toMatchObject({
      outcome: 'DENY',
      userMessage: null,
    });
  });

  it('passes recipient, text and a context with the secrets, from the documented parameters', () => {
    const [recipient, text, context] = trigger.handlerArgs(trigger.samplePayload, inputs) as [string, string, Record<string, unknown>];
    expect(recipient).toBe('1-808-555-5555');
    expect(text).toBe('Here is your one time password: 999111');
    expect(context).toMatchObject({ code: '123456', action: 'enrollment', webtask: { secrets: inputs.secrets } });
  });

  it('reads roles from context.user.app_metadata.roles', () => {
    expect(trigger.userRoles({ context: { user: { app_metadata: { roles: ['mfa-pilot'] } } } })).toEqual(['mfa-pilot']);
    expect(trigger.userRoles(trigger.samplePayload)).toEqual([]);
  });
});
