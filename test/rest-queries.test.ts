import { describe, expect, it } from 'vitest';
import { restTestApp } from './rest-helpers.ts';

describe('REST lists read a page in a constant number of statements', async () => {
  let statements = 0;
  const { expectStatus } = await restTestApp({ onQuery: () => statements++ });
  const scripts = new Map<string, string>();
  for (let i = 0; i < 12; i++) {
    const script = `module.exports = function (user, context, cb) { cb(null, { n: ${i} }) }`;
    const hook = await expectStatus(201, 'POST', '/api/v2/hooks', { body: { name: `hook-${i}`, triggerId: 'post-user-registration', script } });
    scripts.set(hook.id, script);
  }

  const statementsBehind = async (path: string, items: number) => {
    statements = 0;
    const body = await expectStatus(200, 'GET', path);
    const hooks = Array.isArray(body) ? body : body.hooks;
    expect(hooks).toHaveLength(items);
    // Each hook answers its own script: read for the page, not mixed up between rows.
    for (const hook of hooks) expect(hook.script ?? Buffer.from(hook.function, 'base64').toString()).toBe(scripts.get(hook.id));
    return statements;
  };

  it('Auth0: hooks page + scripts batch (+ the total), whatever the page size (the token was read by an earlier request)', async () => {
    const ofTen = await statementsBehind('/api/v2/hooks?per_page=10', 10);
    expect(await statementsBehind('/api/v2/hooks?per_page=2', 2)).toBe(ofTen);
    expect(ofTen).toBe(2);
    expect(await statementsBehind('/api/v2/hooks?per_page=10&include_totals=true', 10)).toBe(ofTen + 1);
  });

  it('OneLogin: total + hooks page + scripts batch, whatever the page size (the token was read by an earlier request)', async () => {
    const ofTen = await statementsBehind('/api/2/hooks?limit=10', 10);
    expect(await statementsBehind('/api/2/hooks?limit=2', 2)).toBe(ofTen);
    expect(ofTen).toBe(3);
  });
});
