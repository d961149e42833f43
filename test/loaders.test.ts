import { describe, expect, it } from 'vitest';
import { createHook, createTestApp } from './helpers.ts';

describe('batched relations', () => {
  it('reads 50 hooks with their scripts, versions and secrets in a constant number of statements', async () => {
    let statements = 0;
    const app = createTestApp({ onQuery: () => statements++ });
    const script = 'module.exports = function (user, context, cb) { cb(null, {}) }';
    for (let i = 0; i < 50; i++) {
      const hook = await createHook(app, { name: `hook ${i}`, triggerId: 'post-user-registration', script });
      await app.ok(
        `mutation($id: ID!) { setHookSecrets(input: {hookId: $id, secrets: [{name: "K", value: "v"}]}) { __typename } }`,
        { id: hook.id },
      );
    }
    const count = async (first: number) => {
      statements = 0;
      const data = await app.ok(
        `query($first: Int!) { hooks(first: $first) { edges { node { name script versions { version } secrets { name } } } } }`,
        { first },
      );
      expect(data.hooks.edges).toHaveLength(first);
      expect(data.hooks.edges[0].node.secrets).toEqual([{ name: 'K' }]);
      return statements;
    };
    const forFifty = await count(50);
    const forFive = await count(5);
    // hooks page + versions batch + secrets batch (the token was read by an earlier request)
    expect(forFifty).toBe(3);
    expect(forFifty).toBe(forFive);
  });
});
