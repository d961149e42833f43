/** Debian's Chromium driven by playwright-core, for the console's end-to-end tests. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Installed by `.ci/run` (apt-get install chromium) when missing; HOOKGATE_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.HOOKGATE_CHROMIUM ?? '/usr/bin/chromium';

/** Where the tests leave their screenshots (git-ignored). */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');

export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set HOOKGATE_CHROMIUM)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A fresh profile each time: no token, storage or cache carried over between runs.
  const profile = mkdtempSync(join(tmpdir(), 'hookgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Every control on the page has an accessible name (a label, aria-label(ledby), or its text). */
export async function expectLabelledControls(page: Page) {
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('input, select, textarea, button, [contenteditable="true"]')]
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels;
        if (labels && labels.length > 0) return false;
        if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
        return !(el.tagName === 'BUTTON' && el.textContent?.trim());
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(unnamed).toEqual([]);
}

/**
 * Records, at each change of the DOM, what a selector's elements say: a timeline the test can read
 * after the fact (e.g. lines seen while the status still said RUNNING), with no timing guess.
 */
export async function recordTimeline(page: Page, probe: { lines: string; status: string }) {
  await page.evaluate(({ lines, status }) => {
    const snapshots: { at: number; lines: string[]; status: string }[] = [];
    (window as any).__timeline = snapshots;
    const take = () => {
      const seen = [...document.querySelectorAll(lines)].map((li) => li.textContent ?? '');
      const now = document.querySelector(status)?.textContent ?? '';
      const last = snapshots[snapshots.length - 1];
      if (!last || last.status !== now || last.lines.length !== seen.length) snapshots.push({ at: performance.now(), lines: seen, status: now });
    };
    new MutationObserver(take).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, probe);
  return () => page.evaluate(() => (window as any).__timeline as { at: number; lines: string[]; status: string }[]);
}
