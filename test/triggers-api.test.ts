import { describe, expect, it } from 'vitest';
import { createTestApp } from './helpers.ts';

describe('trigger catalogue over GraphQL', () => {
  it('lists the five Auth0 points and the two OneLogin ones with their contract facts', async () => {
    const app = createTestApp();
    const data = await app.ok(`{ triggers { id vendor description signature blocking maxEnabledHooks defaultTimeoutMs timeoutCeilingMs samplePayload starterCode optionDefaults } }`);
    expect(data.triggers.map((t: any) => t.id).sort()).toEqual([
      'credentials-exchange',
      'post-change-password',
      'post-user-registration',
      'pre-authentication',
      'pre-user-registration',
      'send-phone-message',
      'user-migration',
    ]);
    for (const trigger of data.triggers) {
      expect(trigger.description.length, trigger.id).toBeGreaterThan(10);
      expect(trigger.starterCode, trigger.id).toMatch(/exports/);
      expect(trigger.maxEnabledHooks).toBe(1);
      expect(trigger.timeoutCeilingMs).toBeGreaterThanOrEqual(trigger.defaultTimeoutMs);
    }
    const pre = data.triggers.find((t: any) => t.id === 'pre-user-registration');
    expect(pre).toMatchObject({ vendor: 'AUTH0', blocking: true, signature: expect.stringContaining('user, context, cb') });
    expect(pre.samplePayload.user.username).toBe('user1');
    expect(data.triggers.find((t: any) => t.id === 'post-user-registration').blocking).toBe(false);
    expect(data.triggers.find((t: any) => t.id === 'pre-authentication').optionDefaults).toHaveProperty('risk_enabled');
  });

  it('answers one trigger by id, null for an unknown one', async () => {
    const app = createTestApp();
    const data = await app.ok(`{ known: trigger(id: "send-phone-message") { signature } unknown: trigger(id: "nope") { id } }`);
    expect(data.known.signature).toContain('recipient, text, context, cb');
    expect(data.unknown).toBeNull();
  });
});
