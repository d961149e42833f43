/**
 * The stored console lines a OneLogin client reads back (GET /api/2/hooks/{id}/logs) are the
 * masked ones: an end user's password passed in the payload never comes back, in any form.
 */
import { describe, expect, it } from 'vitest';
import { restTestApp } from './rest-helpers.ts';

// Quotes, a backslash and a newline: every escaped form differs from the value.
const PASSWORD = `Pa"ss\\w'rd\n-73q`;
const forms = (value: string) => [value, JSON.stringify(value).slice(1, -1), JSON.stringify(JSON.stringify(value)).slice(1, -1), encodeURIComponent(value)];
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const LEAKY = `exports.handler = async (context) => {
  console.log(context);
  console.log('context %o', context);
  console.log(JSON.stringify({ wrapped: JSON.stringify(context) }));
  console.log('pw=' + encodeURIComponent(context.password));
  console.log('user', context.user_identifier, 'password', context.password);
  return { success: true, user: { username: context.user_identifier } };
};
`;

describe('OneLogin logs and end users’ passwords', async () => {
  const { app, rest, expectStatus } = await restTestApp();
  const hook = await expectStatus(201, 'POST', '/api/2/hooks', { body: { type: 'user-migration', function: base64(LEAKY), disabled: false } });

  it('serves the masked console lines, never the password of the payload', async () => {
    const dispatched = await app.ok(
      `mutation($input: DispatchTriggerInput!) { dispatchTrigger(input: $input) { __typename ... on DispatchTriggerSuccess { outcome } } }`,
      { input: { triggerId: 'user-migration', payload: { user_identifier: 'bob-the-user', password: PASSWORD, correlation_id: 'c-1' } } },
    );
    expect(dispatched.dispatchTrigger.outcome).toBe('ALLOW');
    await app.services.dispatch.idle();

    const answer = await rest('GET', `/api/2/hooks/${hook.id}/logs`);
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(1);
    const events: string[] = answer.body[0].events;
    expect(events).toHaveLength(5);
    // The lines are there, the user with them; only the password is masked.
    expect(events.join('\n')).toContain('bob-the-user');
    expect(events[4]).toBe('user bob-the-user password [REDACTED]');
    expect(events[3]).toBe('pw=[REDACTED]');
    const text = JSON.stringify(answer.body);
    for (const form of forms(PASSWORD)) expect(text, JSON.stringify(form)).not.toContain(form);
    expect(JSON.stringify(await expectStatus(200, 'GET', `/api/2/hooks/${hook.id}/logs?correlation_id=c-1`))).not.toContain('73q');
  });
});
