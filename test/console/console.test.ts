/**
 * The admin console in a real browser (Debian's Chromium through playwright-core) against a
 * listening hookgate: each step waits on what the page shows, never on a fixed delay.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenTestApp, type ListeningTestApp } from '../helpers.ts';
import { expectLabelledControls, launchBrowser, recordTimeline, screenshot } from './browser.ts';

const BROKEN = 'module.exports = function (user, context, cb) {\n  var x = ;\n  cb(null, {});\n};\n';

/** Logs a line every 200 ms, `ticks` times, then answers. */
const ticker = (ticks: number) => `module.exports = function (user, context, cb) {
  var n = 0;
  var timer = setInterval(function () {
    n++;
    console.log('tick ' + n);
    if (n === ${ticks}) { clearInterval(timer); cb(null, { user: { app_metadata: { ticks: n } } }); }
  }, 200);
};
`;

const LINES = '[data-testid=log-lines] li:not(.muted)';
const STATUS = '[data-testid=execution-status]';

/** A topic (`execution:updated:<tenant id>`) and its kind without the id. */
const kinds = (topic: string) => [topic, topic.replace(/:[^:]+$/, '')];

/** Tells when someone listens for a topic: here, the browser's executionUpdated subscription. */
class ListenerSignal extends EventTarget {
  private counts = new Map<string, number>();
  private waiting = new Map<string, () => void>();
  /** Resolves once a listener of `type` is registered (at once if one already is). */
  listening(type: string) {
    if ((this.counts.get(type) ?? 0) > 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiting.set(type, resolve));
  }
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>) {
    super.addEventListener(...args);
    for (const type of kinds(args[0])) {
      this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
      this.waiting.get(type)?.();
    }
  }
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>) {
    super.removeEventListener(...args);
    for (const type of kinds(args[0])) this.counts.set(type, (this.counts.get(type) ?? 1) - 1);
  }
}

/** Replaces a CodeMirror editor's text as a paste would (no auto-closed brackets). */
async function replaceEditorText(page: Page, label: string, text: string) {
  const editor = page.getByRole('textbox', { name: label });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

// Steps wait on the page; the bound is only for a stuck step, with CPU shared by other work.
describe('admin console (Chromium)', { timeout: 60_000 }, () => {
  const signal = new ListenerSignal();
  let app: ListeningTestApp;
  let server: ListeningTestApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let hookUrl: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = app = await listenTestApp({ eventTarget: signal as never });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 60_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    // A console error is a defect even when every step passed (a refused request, a script error).
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await server?.close();
  });

  it('opens with a token kept for the tab only, showing the tenant and its scopes', async () => {
    const origin = new URL(server.url).origin;
    await page.goto(`${origin}/console`);
    expect(page.url()).toBe(`${origin}/console/`);
    await page.getByLabel('API token').fill('hg_not-a-token-at-all');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');
    // The refusal was this step's point: only it may have left an error in the browser's console.
    expect(pageErrors.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);

    await page.getByLabel('API token').fill(app.adminToken);
    await screenshot(page, '01-sign-in');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('heading', { name: 'Hooks' }).waitFor();
    expect(await page.getByTestId('tenant').textContent()).toBe('default');
    expect(await page.getByRole('list', { name: 'Scopes of this token' }).textContent()).toContain('read:hooks');
    expect(page.url()).not.toContain(app.adminToken);
    expect(await page.evaluate(() => [sessionStorage.getItem('hookgate.token'), localStorage.length])).toEqual([app.adminToken, 0]);
    await expectLabelledControls(page);
  });

  it('creates a hook from the trigger’s starter code', async () => {
    await page.getByRole('link', { name: 'New hook' }).click();
    // The hooks list has a Trigger select and a "Name contains" field too: act once the page is shown.
    await page.getByRole('heading', { name: 'New hook' }).waitFor();
    await page.getByLabel('Trigger').selectOption('pre-user-registration');
    await page.getByLabel('Name', { exact: true }).fill('ticker');
    // The starter code is loaded into the editor.
    await page.getByRole('textbox', { name: 'Script' }).getByText('module.exports').first().waitFor();
    await expectLabelledControls(page);
    await screenshot(page, '02-new-hook');
    await page.getByRole('button', { name: 'Create hook' }).click();
    await page.getByRole('heading', { name: /ticker/ }).waitFor();
    hookUrl = page.url();
    expect(hookUrl).toMatch(/#\/hooks\/[^/]+\/editor$/);
    const { hooks } = await app.ok(`{ hooks(first: 5) { edges { node { name enabled script trigger { starterCode } } } } }`);
    expect(hooks.edges).toHaveLength(1);
    const hook = hooks.edges[0].node;
    expect(hook).toMatchObject({ name: 'ticker', enabled: true });
    expect(hook.script).toBe(hook.trigger.starterCode);
  });

  it('marks the line and column of a syntax error on save', async () => {
    await replaceEditorText(page, 'Script', BROKEN);
    await page.keyboard.press('ControlOrMeta+S');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Syntax error at line 2, column \d+/);
    const marked = page.locator('.cm-line:has(.cm-lintRange-error)');
    await marked.waitFor();
    expect(await marked.textContent()).toBe('  var x = ;');
    expect(await page.locator('.cm-lint-marker-error').count()).toBe(1);
    await expectLabelledControls(page);
    await screenshot(page, '03-editor-syntax-error');
    // Nothing was saved.
    const { hooks } = await app.ok(`{ hooks(first: 1) { edges { node { version } } } }`);
    expect(hooks.edges[0].node.version).toBe(1);
  });

  it('runs an unsaved draft in the Runner and shows its lines while it runs', async () => {
    await replaceEditorText(page, 'Script', ticker(5));
    await page.getByRole('link', { name: 'Runner' }).click();
    await page.getByRole('textbox', { name: 'Payload' }).getByText('"user"').first().waitFor();
    const timeline = await recordTimeline(page, { lines: LINES, status: STATUS });
    await page.getByRole('button', { name: 'Run draft (unsaved)' }).click();
    await page.locator(STATUS, { hasText: 'SUCCEEDED' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('execution-result').waitFor();
    await expectLabelledControls(page);
    await screenshot(page, '04-runner');

    const seen = await timeline();
    const whileRunning = seen.filter((s) => s.status === 'RUNNING' && s.lines.length > 0);
    // The first line was on screen while the run still went, and the lines came one by one.
    expect(whileRunning[0]?.lines).toHaveLength(1);
    expect(whileRunning[0]!.lines[0]).toContain('tick 1');
    expect(new Set(whileRunning.map((s) => s.lines.length)).size).toBeGreaterThanOrEqual(3);
    const final = seen[seen.length - 1]!;
    expect(final.lines.map((l) => l.replace(/^.*(tick \d)$/, '$1'))).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5']);
    expect(await page.getByLabel('Effective response').textContent()).toContain('"ticks": 5');
    // The draft was run, not saved.
    const { hooks } = await app.ok(`{ hooks(first: 1) { edges { node { version } } } }`);
    expect(hooks.edges[0].node.version).toBe(1);
  });

  it('lists a new execution live and follows its lines on its page', async () => {
    await page.getByRole('link', { name: 'Executions', exact: true }).click();
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await page.getByRole('link', { name: /:/ }).first().waitFor(); // the Runner's execution
    // The page's executionUpdated subscription is registered: the run below cannot slip past it.
    await signal.listening('execution:updated');
    const { hooks } = await app.ok(`{ hooks(first: 1) { edges { node { id } } } }`);
    const started = await app.ok(`mutation($input: RunHookInput!) { startRun(input: $input) { ... on StartRunSuccess { execution { id } } } }`, {
      input: { hookId: hooks.edges[0].node.id, script: ticker(10) },
    });
    expect(started.startRun.execution.id).toBeTruthy();
    const fresh = page.locator('[data-testid=executions] tr.fresh');
    await fresh.waitFor();
    await expectLabelledControls(page);
    await screenshot(page, '05-executions-live');
    const timeline = await recordTimeline(page, { lines: LINES, status: STATUS });
    await fresh.getByRole('link').click();
    await page.getByRole('heading', { name: 'Execution' }).waitFor();
    await page.locator(STATUS, { hasText: 'SUCCEEDED' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('execution-result').waitFor();
    await screenshot(page, '06-execution');
    expect(page.url()).toContain(encodeURIComponent(started.startRun.execution.id));
    const seen = await timeline();
    // Opened while it ran: some lines were shown before the end, then all ten.
    expect(seen.some((s) => s.status === 'RUNNING' && s.lines.length > 0 && s.lines.length < 10)).toBe(true);
    expect(seen[seen.length - 1]!.lines).toHaveLength(10);
    expect(await page.getByLabel('Payload').textContent()).toContain('"user"');
  });

  it('saves a version, shows the diff between two, and rolls back', async () => {
    await page.goto(hookUrl);
    await page.getByRole('heading', { name: /ticker/ }).waitFor();
    await replaceEditorText(page, 'Script', ticker(2));
    await page.getByRole('button', { name: /^Save/ }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 2' }).waitFor();
    await page.getByRole('link', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'Roll back to version 1' }).waitFor();
    // The default diff: version 1 (the starter) against version 2 (the ticker).
    await page.locator('.cm-mergeView .cm-changedLine').first().waitFor();
    await expectLabelledControls(page);
    await screenshot(page, '07-versions-diff');
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.getByRole('status').filter({ hasText: 'now version 3' }).waitFor();
    const { hooks } = await app.ok(`{ hooks(first: 1) { edges { node { version script trigger { starterCode } } } } }`);
    expect(hooks.edges[0].node.version).toBe(3);
    expect(hooks.edges[0].node.script).toBe(hooks.edges[0].node.trigger.starterCode);
    await page.getByRole('heading', { name: /ticker v3/ }).waitFor();
  });

  it('explains the one-enabled-hook rule when enabling a second hook is refused', async () => {
    await app.ok(`mutation { createHook(input: {name: "second", triggerId: "pre-user-registration", enabled: false, script: "module.exports = function (u, c, cb) { cb(null, {}) }"}) { __typename } }`);
    await page.getByRole('link', { name: 'Hooks', exact: true }).click();
    await page.getByRole('link', { name: 'second' }).click();
    await page.getByRole('heading', { name: /second/ }).waitFor();
    await page.getByLabel('Enabled').click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    // Refused: the switch shows the hook as it is, disabled.
    expect(await page.getByLabel('Enabled').isChecked()).toBe(false);
    expect(await alert.textContent()).toMatch(/at most 1 enabled hook at a time, and ticker is enabled\. Disable it first/);
    await screenshot(page, '08-enable-refused');
  });

  it('shows the refusal only on the hook and tab it was raised on', async () => {
    // Still on "second", its Editor showing the refusal of the test before.
    const banner = page.getByRole('alert').filter({ hasText: 'Disable it first' });
    await banner.waitFor();
    await page.getByRole('link', { name: 'Versions' }).click();
    await page.getByRole('table', { name: /Versions of second/ }).waitFor();
    expect(await banner.count()).toBe(0);
    await page.getByRole('link', { name: 'Editor' }).click();
    await banner.waitFor();
    // The banner's link leads to the enabled hook: its pages do not show the other hook's refusal.
    await banner.getByRole('link', { name: 'ticker' }).click();
    await page.getByRole('heading', { name: /ticker/ }).waitFor();
    expect(await banner.count()).toBe(0);
    await page.getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('table', { name: /Secrets of ticker/ }).waitFor();
    expect(await banner.count()).toBe(0);
    await page.getByRole('link', { name: 'Versions' }).click();
    await page.getByRole('table', { name: /Versions of ticker/ }).waitFor();
    expect(await banner.count()).toBe(0);
  });
});
