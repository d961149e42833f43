import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestService } from './service-helpers.ts';

describe('HOOKGATE_API_RATE_LIMIT reaches the management APIs of `hookgate serve`', async () => {
  const { origin } = await startTestService({ HOOKGATE_API_RATE_LIMIT: '2', HOOKGATE_RUN_RATE_LIMIT: '1' });
  const get = (path: string) => fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

  it('answers X-RateLimit-Limit from it, and 429 once it is spent', async () => {
    const first = await get('/api/v2/hooks');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect((await get('/api/2/hooks')).headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await get('/api/v2/hooks');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
  });
});
