/** Hooks as code carry `dependencies`: hookgate's own folder format and the Auth0 Deploy CLI's. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/hooks-as-code/apply.ts';
import { readAuth0Folder } from '../../src/hooks-as-code/auth0-folder.ts';
import { readHookgateFolder, writeHookgateFolder } from '../../src/hooks-as-code/hookgate-folder.ts';
import { loadKeywords } from '../../src/hooks-as-code/keywords.ts';
import { planImport } from '../../src/hooks-as-code/plan.ts';
import { storedHooks } from '../../src/hooks-as-code/stored.ts';
import { createTestApp } from '../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'hookgate-hooks-as-code-packages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hooks as code with packages', () => {
  it('exports dependencies into hook.json and plans their change on import', () => {
    const app = createTestApp();
    const viewer = () => app.services.tokens.authenticate(app.adminToken);
    app.services.hooks.create(viewer(), { name: 'slack', triggerId: 'post-user-registration', script: 'module.exports = (u, c, cb) => cb();', dependencies: { 'slack-notify': '^2.0.0' } });
    app.services.hooks.create(viewer(), { name: 'plain', triggerId: 'pre-user-registration', script: 'module.exports = (u, c, cb) => cb();' });
    const folder = join(dir, 'hookgate');
    writeHookgateFolder(folder, storedHooks(app.services, viewer()));
    expect(JSON.parse(readFileSync(join(folder, 'hooks/slack/hook.json'), 'utf8')).dependencies).toEqual({ 'slack-notify': '^2.0.0' });
    // Hooks without packages are written as before.
    expect(JSON.parse(readFileSync(join(folder, 'hooks/plain/hook.json'), 'utf8'))).not.toHaveProperty('dependencies');

    const hookJson = join(folder, 'hooks/slack/hook.json');
    writeFileSync(hookJson, JSON.stringify({ ...JSON.parse(readFileSync(hookJson, 'utf8')), dependencies: { 'slack-notify': '2.0.7' } }));
    const steps = planImport(readHookgateFolder(folder), storedHooks(app.services, viewer()), { allowDelete: false, secretValues: () => ({}) });
    expect(steps.find((step) => step.name === 'slack')).toMatchObject({ action: 'update', changes: ['dependencies'] });
    expect(steps.find((step) => step.name === 'plain')).toMatchObject({ action: 'unchanged' });
    applyPlan(app.db, app.services, viewer(), steps);
    expect(storedHooks(app.services, viewer()).find((hook) => hook.name === 'slack')!.dependencies).toEqual({ 'slack-notify': '2.0.7' });
  });

  it("imports the Deploy CLI's dependencies", () => {
    const app = createTestApp();
    const viewer = () => app.services.tokens.authenticate(app.adminToken);
    const folder = join(dir, 'auth0');
    mkdirSync(join(folder, 'hooks'), { recursive: true });
    writeFileSync(join(folder, 'hooks/notify.json'), JSON.stringify({ name: 'Notify', triggerId: 'post-user-registration', script: './notify.js', dependencies: { auth0: '2.30.0', 'slack-notify': '2.0.7' } }));
    writeFileSync(join(folder, 'hooks/notify.js'), 'module.exports = (u, c, cb) => cb();');
    const steps = planImport(readAuth0Folder(folder, loadKeywords(undefined, {})), storedHooks(app.services, viewer()), { allowDelete: false, secretValues: () => ({}) });
    applyPlan(app.db, app.services, viewer(), steps);
    expect(storedHooks(app.services, viewer())).toMatchObject([{ name: 'notify', dependencies: { auth0: '2.30.0', 'slack-notify': '2.0.7' } }]);
  });
});
