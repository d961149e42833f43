/** /console: the built console served by the service itself, with nothing from elsewhere. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { buildConsole, CONSOLE_DIST } from '../../console/build.ts';
import { useConsole } from '../../src/console/use-console.ts';
import { schema } from '../../src/graphql/schema.ts';
import { createTestApp } from '../helpers.ts';

const serving = (root: string) => createYoga({ schema, plugins: [useConsole({ root })], logging: false });

describe('the console’s files', () => {
  it('serves the built page, its script and its stylesheet from this origin, with a strict CSP', async () => {
    const app = createTestApp();
    const page = await app.yoga.fetch('http://hookgate.test/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="app.js">');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await app.yoga.fetch('http://hookgate.test/console/app.js');
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await script.text()).length).toBeGreaterThan(10_000);
    const style = await app.yoga.fetch('http://hookgate.test/console/app.css');
    expect([style.status, style.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
  });

  it('sends /console to /console/ so the page’s relative paths resolve', async () => {
    const response = await createTestApp().yoga.fetch('http://hookgate.test/console', { redirect: 'manual' });
    expect([response.status, response.headers.get('location')]).toEqual([308, '/console/']);
  });

  it('answers nothing outside its folder, nor files of other kinds', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hookgate-console-'));
    writeFileSync(join(root, 'index.html'), '<p>console</p>');
    writeFileSync(join(root, 'notes.md'), 'not served');
    const yoga = serving(root);
    for (const path of ['/console/..%2Fpackage.json', '/console/../package.json', '/console/%2e%2e/secret.key', '/console/notes.md', '/console/missing.js', '/console/sub/app.js']) {
      const response = await yoga.fetch(`http://hookgate.test${path}`);
      expect([path, response.status]).toEqual([path, 404]);
    }
    const post = await yoga.fetch('http://hookgate.test/console/', { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    // GraphQL stays where it was.
    const graphql = await yoga.fetch('http://hookgate.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('says how to build it when it is not built', async () => {
    const response = await serving(mkdtempSync(join(tmpdir(), 'hookgate-console-'))).fetch('http://hookgate.test/console/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run console:build');
  });

  it('builds reproducibly: the same sources give the same files', async () => {
    const { readFileSync } = await import('node:fs');
    const again = mkdtempSync(join(tmpdir(), 'hookgate-console-'));
    await buildConsole(again);
    for (const file of ['index.html', 'app.js', 'app.css']) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(CONSOLE_DIST, file))), file).toBe(true);
    }
  });
});
