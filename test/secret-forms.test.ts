/**
 * Secrets a hook writes in URL forms: none of them reaches what a run stores or returns.
 */
import { describe, expect, it } from 'vitest';
import { createHook, createTestApp, logMessages, runHook, type TestApp } from './helpers.ts';

/** Everything stored of every execution: rows and console lines. */
const storedText = (app: TestApp) =>
  JSON.stringify([app.db.$client.prepare('select * from executions').all(), app.db.$client.prepare('select * from execution_logs').all()]);

/** A OneLogin hook with `body` as its handler's body. */
async function runDraft(app: TestApp, body: string, secrets: Record<string, string>) {
  const hook = await createHook(app, { name: 'forms', triggerId: 'pre-authentication', script: 'exports.handler = async (context) => ({ success: true, user: context.user })' });
  return runHook(app, {
    hookId: hook.id,
    script: `exports.handler = async (context) => { ${body} }`,
    secrets: Object.entries(secrets).map(([name, value]) => ({ name, value })),
  });
}

describe('secrets percent-encoded in a URL', () => {
  it('masks a secret put into a query with URLSearchParams or url.searchParams, or written with encodeURI', async () => {
    const app = createTestApp();
    const execution = await runDraft(
      app,
      `const pass = process.env.DB_PASS;
      console.log(new URLSearchParams({ user: 'svc', pass }).toString());
      const url = new URL('https://x.test/login'); url.searchParams.set('pass', pass); console.log(url.href);
      console.log(encodeURI('https://x.test/login?pass=' + pass));
      console.log(new URL('https://x.test/login?pass=' + pass).href);
      return { success: true, user: context.user, links: [String(url), encodeURI(pass)] };`,
      { DB_PASS: 'p@ss word!' },
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(logMessages(execution)).toEqual([
      'user=svc&pass=[REDACTED]',
      'https://x.test/login?pass=[REDACTED]',
      'https://x.test/login?pass=[REDACTED]',
      'https://x.test/login?pass=[REDACTED]',
    ]);
    expect(execution.response.links).toEqual(['https://x.test/login?pass=[REDACTED]', '[REDACTED]']);
    const stored = storedText(app);
    for (const form of ['p@ss word!', 'p%40ss+word!', 'p@ss%20word!', 'p%40ss%20word!', 'p%40ss+word%21']) expect(stored).not.toContain(form);
  });
});

