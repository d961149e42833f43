/** Issue 11, item 3: page sizes given by variables count in the cost, and no answer passes a size bound. */
import { describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../src/graphql/security.ts';
import { MAX_ANSWER_BYTES } from '../src/graphql/use-answer-budget.ts';
import { createHook, createTestApp, type TestApp } from './helpers.ts';

async function post(app: TestApp, query: string, variables: Record<string, unknown> = {}) {
  const response = await app.yoga.fetch('http://hookgate.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${app.adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, ...body, code: body.errors?.[0]?.extensions?.code };
}

const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join('\n');

describe('query cost with variables', () => {
  const LOGS = `executions(first: $n) { edges { node { logs(first: $m) { edges { node { message } } } } } }`;

  it('counts page sizes given by variables, as the same sizes written in would be', async () => {
    const app = createTestApp();
    const big = await post(app, `query($n: Int, $m: Int) { ${aliases(15, LOGS)} }`, { n: 100, m: 1000 });
    expect(big).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(big.errors![0]!.message).toMatch(new RegExp(`Query Cost limit of ${QUERY_LIMITS.maxCost} exceeded, found \\d+.*variables`));
    expect(big.data).toBeUndefined();

    // The default of a variable counts when the variable is not given.
    const byDefault = await post(app, `query($n: Int = 100, $m: Int = 1000) { ${aliases(2, LOGS)} }`);
    expect(byDefault).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });

    const small = await post(app, `query($n: Int, $m: Int) { ${aliases(15, LOGS)} }`, { n: 5, m: 10 });
    expect(small.status).toBe(200);
    expect(small.errors).toBeUndefined();
  });
});

describe('answer size', () => {
  it(`refuses an answer past ${MAX_ANSWER_BYTES / 1024 / 1024} MiB with one RESPONSE_TOO_LARGE error instead of building it`, async () => {
    const app = createTestApp();
    const script = (n: number) => `// ${'x'.repeat(99_000)}\nmodule.exports = (u, c, cb) => cb(null, { n: ${n} });`;
    const hook = await createHook(app, { name: 'big', triggerId: 'pre-user-registration', script: script(0) });
    for (let n = 1; n < 24; n++) {
      await app.ok(`mutation($input: UpdateHookInput!) { updateHook(input: $input) { __typename } }`, { input: { id: hook.id, script: script(n) } });
    }
    const versions = `hook(id: $id) { versions(first: 100) { script } }`;
    const one = await post(app, `query($id: ID!) { ${versions} }`, { id: hook.id });
    expect(one.status).toBe(200);
    expect((one.data as { hook: { versions: unknown[] } }).hook.versions).toHaveLength(24);

    // 15 × 24 × 99 KB: about 35 MB of scripts, under the cost limit.
    const all = await post(app, `query($id: ID!) { ${aliases(15, versions)} }`, { id: hook.id });
    expect(all.code).toBe('RESPONSE_TOO_LARGE');
    expect(all.errors).toHaveLength(1);
    expect(all.errors![0]!.message).toMatch(/larger than 32 MiB: ask for fewer items/);
    expect(all.data).toBeNull();
  });
});
