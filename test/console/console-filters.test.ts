/**
 * The console where a tenant has many hooks: the executions page's hook filter reaches every hook
 * (not only the first 100), and the Runner marks a draft's syntax error in the editor.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHook, listenTestApp, runHook, type ListeningTestApp } from '../helpers.ts';
import { expectLabelledControls, launchBrowser, screenshot } from './browser.ts';

const SCRIPT = 'module.exports = function (user, context, cb) { cb(null, {}) }';
/** Line 3 does not compile. */
const BROKEN = 'module.exports = function (user, context, cb) {\n  var n = 1;\n  var x = ;\n  cb(null, {});\n};\n';
/** More than the 100 the old hook select listed. */
const OTHER_HOOKS = 104;

describe('admin console with many hooks (Chromium)', { timeout: 60_000 }, () => {
  let app: ListeningTestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let origin: string;
  let needle: { id: string };
  /** The newest hook's name (made in parallel batches: which one is newest is not known before). */
  let newest: string;
  let page: Page;

  beforeAll(async () => {
    app = await listenTestApp();
    origin = new URL(app.url).origin;
    // The oldest hook: the hooks list is newest first, so it is past the first 100.
    needle = await createHook(app, { name: 'needle', triggerId: 'post-change-password', script: SCRIPT, enabled: false });
    for (let batch = 0; batch < OTHER_HOOKS; batch += 26) {
      const names = Array.from({ length: Math.min(26, OTHER_HOOKS - batch) }, (_, i) => `hook ${String(batch + i + 1).padStart(3, '0')}`);
      await Promise.all(names.map((name) => createHook(app, { name, triggerId: 'post-change-password', script: SCRIPT, enabled: false })));
    }
    const { hooks } = await app.ok(`{ hooks(first: 100) { edges { node { id name } } pageInfo { hasNextPage } } }`);
    expect(hooks.pageInfo.hasNextPage).toBe(true);
    expect(hooks.edges.map((e: { node: { name: string } }) => e.node.name)).not.toContain('needle');
    newest = hooks.edges[0].node.name;
    for (const hookId of [needle.id, hooks.edges[0].node.id]) expect((await runHook(app, { hookId })).status).toBe('SUCCEEDED');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(`${origin}/console/`);
    await page.getByLabel('API token').fill(app.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hooks' }).waitFor();
  }, 60_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const hookNames = () => page.locator('[data-testid=executions] tbody td:nth-child(2)').allTextContents();

  it('filters the executions by a hook past the first 100, found by typing part of its name', async () => {
    await page.getByRole('link', { name: 'Executions', exact: true }).click();
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await expect.poll(hookNames).toEqual([newest, 'needle']);
    const picker = page.getByRole('combobox', { name: 'Hook' });
    expect(await picker.getAttribute('aria-expanded')).toBe('false');
    await picker.click();
    // Opened: every hook but a page of suggestions, and a word on how to reach the others.
    const options = page.getByRole('listbox', { name: 'Hooks' }).getByRole('option');
    await expect.poll(() => options.count()).toBe(21);
    expect(await options.first().textContent()).toBe('All hooks');
    await page.getByText('More hooks match: type more of the name.').waitFor();
    await page.keyboard.type('eedl');
    await expect.poll(() => options.allTextContents()).toEqual(['needle']);
    await expectLabelledControls(page);
    await screenshot(page, '14-executions-hook-picker');
    await page.keyboard.press('Enter');
    await expect.poll(hookNames).toEqual(['needle']);
    expect(await picker.inputValue()).toBe('needle');
    expect(await picker.getAttribute('aria-expanded')).toBe('false');
    await screenshot(page, '15-executions-by-hook');

    // Back to every hook, by mouse.
    await picker.click();
    await options.filter({ hasText: 'All hooks' }).click();
    await expect.poll(hookNames).toEqual([newest, 'needle']);
    expect(await picker.inputValue()).toBe('');
  });

  it('shows a hook given by id in the address by its name', async () => {
    await page.goto(`${origin}/console/#/executions?hook=${encodeURIComponent(needle.id)}`);
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await expect.poll(hookNames).toEqual(['needle']);
    await expect.poll(() => page.getByRole('combobox', { name: 'Hook' }).inputValue()).toBe('needle');
  });

  it('links a hook to its executions', async () => {
    await page.goto(`${origin}/console/#/hooks/${encodeURIComponent(needle.id)}/editor`);
    await page.getByRole('heading', { name: /needle/ }).waitFor();
    await page.getByRole('link', { name: 'Executions of this hook' }).click();
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await expect.poll(hookNames).toEqual(['needle']);
    await expect.poll(() => page.getByRole('combobox', { name: 'Hook' }).inputValue()).toBe('needle');
  });

  it('marks in the editor the line of a syntax error the Runner found in a draft, until the script changes', async () => {
    await page.goto(`${origin}/console/#/hooks/${encodeURIComponent(needle.id)}/editor`);
    await page.getByRole('heading', { name: /needle/ }).waitFor();
    const editor = page.getByRole('textbox', { name: 'Script' });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(BROKEN);
    await page.getByRole('link', { name: 'Runner' }).click();
    await page.getByRole('button', { name: 'Run draft (unsaved)' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Syntax error at line 3, column \d+/);
    await page.getByRole('link', { name: 'Show line 3 in the editor' }).click();

    // The line is highlighted, the column underlined, the gutter marked, the message right under it.
    const marked = page.locator('.cm-marked-line');
    await marked.waitFor();
    expect(await marked.textContent()).toBe('  var x = ;');
    expect(await page.locator('.cm-line:has(.cm-lintRange-error)').textContent()).toBe('  var x = ;');
    expect(await page.locator('.cm-lint-marker-error').count()).toBe(1);
    const message = page.locator('.cm-marked-message');
    expect(await message.textContent()).toBe((await alert.textContent())!.replace(/^Syntax error at line 3, column \d+: /, ''));
    expect(await message.evaluate((note) => note.previousElementSibling?.textContent)).toBe('  var x = ;');
    await screenshot(page, '16-runner-syntax-error-in-editor');

    // Fixed in place: the marks and the message go with the first keystroke.
    await marked.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('2');
    await marked.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.cm-lintRange-error, .cm-lint-marker-error, .cm-marked-message').count()).toBe(0);
    await expect.poll(() => alert.count()).toBe(0);
    await page.getByRole('link', { name: 'Runner' }).click();
    await page.getByRole('button', { name: 'Run draft (unsaved)' }).click();
    await page.locator('[data-testid=execution-status]', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 15_000 });
    expect(await alert.count()).toBe(0);
    // Run, never saved.
    const { hook } = await app.ok(`query($id: ID!) { hook(id: $id) { version script } }`, { id: needle.id });
    expect(hook).toEqual({ version: 1, script: SCRIPT });
  });
});
