import { describe, expect, it } from 'vitest';
import { restTestApp } from './rest-helpers.ts';

describe('a method a known path does not serve is 405 with Allow, in each vendor’s error shape', async () => {
  const { rest } = await restTestApp();

  it('Auth0 (/api/v2)', async () => {
    const cases: [string, string, string][] = [
      ['PUT', '/api/v2/hooks/x', 'GET, HEAD, PATCH, DELETE'],
      ['DELETE', '/api/v2/hooks', 'GET, HEAD, POST'],
      ['PUT', '/api/v2/hooks/x/secrets', 'GET, HEAD, POST, PATCH, DELETE'],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await rest(method, path, { body: {} });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(answer.body).toEqual({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `${method} is not allowed on ${path}; allowed: ${allow}`,
        errorCode: 'method_not_allowed',
      });
    }
    expect((await rest('HEAD', '/api/v2/hooks')).status).toBe(200);
  });

  it('OneLogin (/api/2)', async () => {
    const cases: [string, string, string][] = [
      ['PATCH', '/api/2/hooks/x', 'GET, HEAD, PUT, DELETE'],
      ['PUT', '/api/2/hooks', 'GET, HEAD, POST'],
      ['POST', '/api/2/hooks/x/logs', 'GET, HEAD'],
      ['PATCH', '/api/2/hooks/envs/NAME', 'GET, HEAD, PUT, DELETE'],
      // `envs` is a fixed segment, never a hook id: `/hooks/envs` serves only its own methods.
      ['PUT', '/api/2/hooks/envs', 'GET, HEAD, POST'],
      ['DELETE', '/api/2/hooks/envs', 'GET, HEAD, POST'],
      ['PATCH', '/api/2/hooks/envs', 'GET, HEAD, POST'],
      ['POST', '/api/2/hooks/envs/logs', 'GET, HEAD, PUT, DELETE'],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await rest(method, path, { body: {} });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(answer.body).toEqual({ name: 'MethodNotAllowedError', message: `${method} is not allowed on ${path}; allowed: ${allow}` });
    }
  });

  it('a fixed segment is never handed to a route of a parameter: /hooks/envs is not a hook, /hooks/envs/logs is an env var', async () => {
    const envs = await rest('GET', '/api/2/hooks/envs');
    expect(envs).toMatchObject({ status: 200, body: [] });
    await rest('POST', '/api/2/hooks/envs', { body: { name: 'logs', value: 'v4lue-of-logs' } });
    expect(await rest('GET', '/api/2/hooks/envs/logs')).toMatchObject({ status: 200, body: { id: 'logs', name: 'logs' } });
    const refused = await rest('PUT', '/api/2/hooks/envs', { body: { type: 'pre-authentication' } });
    expect(refused.status).toBe(405);
  });

  it('still answers 404 for unknown paths and 401 before anything without a token', async () => {
    expect(await rest('GET', '/api/v2/rules')).toMatchObject({ status: 404, body: { statusCode: 404 } });
    expect(await rest('PUT', '/api/2/hooks/x/unknown')).toMatchObject({ status: 404, body: { name: 'NotFoundError' } });
    const anonymous = await rest('PUT', '/api/v2/hooks/x', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('allow')).toBeNull();
  });
});
