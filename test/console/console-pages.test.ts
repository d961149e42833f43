/**
 * The console's other pages in Chromium: what a token's scopes leave out, use by keyboard alone,
 * hook pages of the list, secrets by name only, settings, env vars.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHook, listenTestApp, runHook, type ListeningTestApp, type TestApp } from '../helpers.ts';
import { expectLabelledControls, launchBrowser, screenshot } from './browser.ts';

const SCRIPT = 'module.exports = function (user, context, cb) { cb(null, {}) }';
const SECRET_VALUE = 'console-secret-value-42';

async function tokenWith(app: TestApp, scopes: string[]) {
  const data = await app.ok(`mutation($s: [ApiScope!]!) { createApiToken(input: {name: "console", scopes: $s}) { ... on CreateApiTokenSuccess { token } } }`, { s: scopes });
  return data.createApiToken.token as string;
}

/** Presses Tab until `target` has the focus (at most `limit` times): the page is reachable by keyboard. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`not reached by Tab within ${limit} presses`);
}

describe('admin console pages (Chromium)', { timeout: 60_000 }, () => {
  let app: ListeningTestApp;
  let server: ListeningTestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let origin: string;
  let firstHookId: string;

  beforeAll(async () => {
    server = app = await listenTestApp();
    origin = new URL(server.url).origin;
    for (let i = 1; i <= 23; i++) {
      const hook = await createHook(app, { name: `hook ${String(i).padStart(2, '0')}`, triggerId: 'pre-user-registration', script: SCRIPT, enabled: false });
      if (i === 1) firstHookId = hook.id;
    }
    await createHook(app, { name: 'exchange', triggerId: 'credentials-exchange', script: 'module.exports = function (c, s, a, ctx, cb) { cb(null, {}) }' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in and opens a hook by keyboard alone, offering only what a read-only token may do', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/console/`);
    await tabTo(page, page.getByLabel('API token'));
    await page.keyboard.type(await tokenWith(app, ['READ_HOOKS']));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hooks' }).waitFor();
    expect(await page.getByRole('list', { name: 'Scopes of this token' }).textContent()).toBe('read:hooks');
    // Not offered: creating, the executions, the Runner, deleting, enabling, saving.
    expect(await page.getByRole('link', { name: 'New hook' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Executions', exact: true }).count()).toBe(0);
    await tabTo(page, page.getByRole('link', { name: 'exchange' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /exchange/ }).waitFor();
    expect(await page.getByRole('link', { name: 'Runner' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Executions of this hook' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete hook' }).count()).toBe(0);
    expect(await page.getByLabel('Enabled').isDisabled()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Script' }).getAttribute('contenteditable')).toBe('false');
    expect(await page.getByText('Read only: saving needs the scope update:hooks.').count()).toBe(1);
    await screenshot(page, '10-read-only-token');
    await page.close();
  });

  it('opens with a log viewer’s read:executions token: lists executions, follows one and new ones live, offers no hook pages', async () => {
    const LOGGING = (line: string) => `module.exports = function (u, c, cb) { console.log('${line}'); cb(null, {}) }`;
    await runHook(app, { hookId: firstHookId, script: LOGGING('seen by the log viewer') });
    const page = await browser.context.newPage();
    await page.goto(`${origin}/console/`);
    await page.getByLabel('API token').fill(await tokenWith(app, ['READ_EXECUTIONS']));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    expect(await page.getByTestId('tenant').textContent()).toBe('default');
    expect(await page.getByRole('list', { name: 'Scopes of this token' }).textContent()).toBe('read:executions');
    expect(await page.getByRole('link', { name: 'Hooks', exact: true }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Env vars' }).count()).toBe(0);
    const rows = page.locator('[data-testid=executions] tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    // Live: a run that happens while the page is open is added at the top.
    await runHook(app, { hookId: firstHookId, script: LOGGING('a later run') });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByLabel('Trigger').fill('credentials-exchange');
    await page.getByLabel('Trigger').press('Enter');
    await page.getByText('No executions match.').waitFor();
    await page.getByLabel('Trigger').fill('pre-user-registration');
    await page.getByLabel('Trigger').press('Enter');
    await expect.poll(() => rows.count()).toBe(2);
    await expectLabelledControls(page);
    await screenshot(page, '16-log-viewer-executions');
    await rows.last().getByRole('link').click();
    await page.getByTestId('log-lines').getByText('seen by the log viewer').waitFor();
    expect(await page.getByTestId('execution-status').textContent()).toBe('SUCCEEDED');
    expect(await page.getByRole('alert').count()).toBe(0);
    // A link to one hook's runs (#/executions?hook=…) still narrows the list, and says so.
    await page.goto(`${origin}/console/#/executions?hook=${encodeURIComponent(firstHookId)}`);
    await page.getByText('The runs of one hook only.').waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('link', { name: 'All runs' }).click();
    await page.getByText('The runs of one hook only.').waitFor({ state: 'detached' });
    // A hook page is not offered, even by its address.
    await page.goto(`${origin}/console/#/hooks/${encodeURIComponent(firstHookId)}/editor`);
    await page.getByText('Hooks: this page needs the scope read:hooks, which this token lacks.').waitFor();
    await page.close();
  });

  it('opens with a pipeline’s run:hooks token, showing the tenant and scopes, and says no page is offered', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/console/`);
    await page.getByLabel('API token').fill(await tokenWith(app, ['RUN_HOOKS']));
    await page.keyboard.press('Enter');
    await page.getByText('The console offers nothing to this token', { exact: false }).waitFor();
    expect(await page.getByTestId('tenant').textContent()).toBe('default');
    expect(await page.getByRole('list', { name: 'Scopes of this token' }).textContent()).toBe('run:hooks');
    expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').count()).toBe(0);
    await page.close();
  });

  it('pages through the hooks of a trigger and filters them by name and state', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/console/`);
    await page.getByLabel('API token').fill(app.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hooks' }).waitFor();
    await page.getByLabel('Trigger').selectOption('pre-user-registration');
    // Newest first: hooks 23 to 04, then 03 to 01.
    await page.getByRole('link', { name: 'hook 04' }).waitFor();
    const names = () => page.locator('tbody td:first-child a').allTextContents();
    expect(await names()).toHaveLength(20);
    expect(await page.getByRole('link', { name: 'exchange' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('link', { name: 'hook 01' }).waitFor();
    expect(await names()).toEqual(['hook 03', 'hook 02', 'hook 01']);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('link', { name: 'hook 23' }).waitFor();
    await page.getByLabel('Name contains').fill('hook 1');
    await page.getByRole('link', { name: 'hook 23' }).waitFor({ state: 'detached' });
    await expect.poll(names).toEqual(['hook 19', 'hook 18', 'hook 17', 'hook 16', 'hook 15', 'hook 14', 'hook 13', 'hook 12', 'hook 11', 'hook 10']);
    await page.getByLabel('State').selectOption('true');
    await page.getByText('No hooks match.').waitFor();
    await expectLabelledControls(page);
    await screenshot(page, '11-hooks-filtered');
    await page.close();
  });

  it('sets and deletes a secret by name, never showing its value; saves settings; sets an env var', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/console/`);
    await page.getByLabel('API token').fill(app.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hooks' }).waitFor();
    await page.goto(`${origin}/console/#/hooks/${encodeURIComponent(firstHookId)}/secrets`);
    await page.getByText('No secrets.').waitFor();
    await page.getByLabel('Secret name').fill('API_KEY');
    await page.getByLabel('Value').fill(SECRET_VALUE);
    await page.getByRole('button', { name: 'Set secret' }).click();
    await page.getByRole('button', { name: 'Delete API_KEY' }).waitFor();
    expect(await page.content()).not.toContain(SECRET_VALUE);
    await expectLabelledControls(page);
    await screenshot(page, '12-secrets');
    const stored = await app.ok(`query($id: ID!) { hook(id: $id) { secrets { name } } }`, { id: firstHookId });
    expect(stored.hook.secrets).toEqual([{ name: 'API_KEY' }]);
    await page.getByRole('button', { name: 'Delete API_KEY' }).click();
    await page.getByText('No secrets.').waitFor();

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel(/^Timeout/).fill('4000');
    await page.getByLabel(/^Retries/).fill('2');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Role id').fill('admins');
    await expectLabelledControls(page);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    await screenshot(page, '13-settings');
    const saved = await app.ok(`query($id: ID!) { hook(id: $id) { timeoutMs retries conditions { source operator value } } }`, { id: firstHookId });
    expect(saved.hook).toEqual({ timeoutMs: 4000, retries: 2, conditions: [{ source: 'roles', operator: '~', value: 'admins' }] });

    await page.getByRole('link', { name: 'Env vars' }).click();
    // The Settings page has an "Env var names" field: fill only once the Env vars page is shown.
    await page.getByRole('heading', { name: 'Env vars' }).waitFor();
    await page.getByLabel('Env var name', { exact: true }).fill('REGION');
    await page.getByLabel('Value', { exact: true }).fill('eu-west-9-value');
    await page.getByRole('button', { name: 'Set env var' }).click();
    await page.getByRole('button', { name: 'Delete REGION' }).waitFor();
    expect(await page.content()).not.toContain('eu-west-9-value');
    await page.close();
  });
});
