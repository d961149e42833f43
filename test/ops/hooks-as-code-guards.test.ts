import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tree, withDb } from './cli-helpers.ts';

const dir = tempDir('hooks-as-code-guards');
const FIXTURES = fileURLToPath(new URL('../fixtures/auth0-deploy/', import.meta.url));
const list = { limit: 100, inverted: false } as const;

async function freshDb(name: string) {
  const db = join(dir, `${name}.db`);
  expect((await cli(db, ['tenant', 'create', 'default'])).code).toBe(0);
  return db;
}

/** Every hook of the default tenant as name → its settings and script (what an import changes). */
const snapshot = (db: string) =>
  withDb(db, (service, viewer) =>
    Object.fromEntries(
      service.services.hooks.list(viewer(), {}, list).map((row) => [row.name, { ...row, script: service.services.hooks.versionOf(row.id, row.version)!.script }]),
    ),
  );

describe('hooks as code carry dependencies (npm packages)', () => {
  const SCRIPT = 'module.exports = function (user, context, cb) { cb(null, {}) }';

  it('exports them, imports them, diffs them in the plan and round-trips byte for byte', async () => {
    const source = await freshDb('deps-source');
    await withDb(source, (service, viewer) =>
      service.services.hooks.create(viewer(), { name: 'with-packages', triggerId: 'pre-user-registration', script: SCRIPT, dependencies: { uuid: '^9.0.0', axios: '1.7.2' } }),
    );
    const out = join(dir, 'deps-export');
    expect((await cli(source, ['export', '--out', out])).code).toBe(0);
    const settingsFile = join(out, 'hooks/with-packages/hook.json');
    // Keys sorted, so an export diffs well.
    expect(readFileSync(settingsFile, 'utf8')).toContain('"dependencies": {\n    "axios": "1.7.2",\n    "uuid": "^9.0.0"\n  }');

    const target = await freshDb('deps-target');
    expect((await cli(target, ['import', out])).code).toBe(0);
    expect((await snapshot(target))['with-packages']!.dependencies).toEqual({ axios: '1.7.2', uuid: '^9.0.0' });
    const again = join(dir, 'deps-again');
    await cli(target, ['export', '--out', again]);
    expect(tree(again)).toEqual(tree(out));

    writeFileSync(settingsFile, readFileSync(settingsFile, 'utf8').replace('"1.7.2"', '"1.8.0"'));
    const plan = await cli(target, ['import', out, '--json']);
    expect(JSON.parse(plan.stdout).plan).toMatchObject([{ action: 'update', name: 'with-packages', changes: ['dependencies'] }]);
    expect((await snapshot(target))['with-packages']!.dependencies).toEqual({ axios: '1.8.0', uuid: '^9.0.0' });
  });

  it('keeps the target’s packages when a hook.json written before them has none', async () => {
    const target = await freshDb('deps-old-folder');
    await withDb(target, (service, viewer) =>
      service.services.hooks.create(viewer(), { name: 'old', triggerId: 'pre-user-registration', script: SCRIPT, dependencies: { uuid: '^9.0.0' } }),
    );
    const out = join(dir, 'deps-old');
    await cli(target, ['export', '--out', out]);
    const settingsFile = join(out, 'hooks/old/hook.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    delete settings.dependencies;
    writeFileSync(settingsFile, JSON.stringify(settings));
    expect(JSON.parse((await cli(target, ['import', out, '--json'])).stdout).plan).toMatchObject([{ action: 'unchanged' }]);
    expect((await snapshot(target)).old!.dependencies).toEqual({ uuid: '^9.0.0' });
  });

  it('imports the Deploy CLI’s dependencies', async () => {
    const folder = join(dir, 'auth0-deps');
    cpSync(join(FIXTURES, 'directory'), folder, { recursive: true });
    const file = join(folder, 'hooks/add-scopes.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"dependencies": {}', '"dependencies": { "lodash": "4.17.21" }'));
    const target = await freshDb('auth0-deps');
    const result = await cli(target, ['import', folder, '--format', 'auth0', '--keywords', JSON.stringify({ VIP_API_KEY: 'k', VIP_PLAN: 'p' })], { REGION: 'eu' });
    expect(result.code).toBe(0);
    const hooks = await snapshot(target);
    expect(hooks['add-scopes']!.dependencies).toEqual({ lodash: '4.17.21' });
    expect(hooks['vip-metadata']!.dependencies).toEqual({});
  });
});

describe('a folder of the other format is refused, never read as empty', () => {
  it('refuses a hookgate export given as --format auth0, and a Deploy CLI folder given as hookgate, deleting nothing', async () => {
    const target = await freshDb('formats');
    await withDb(target, (service, viewer) =>
      service.services.hooks.create(viewer(), { name: 'keep-me', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { cb() }' }),
    );
    const exported = join(dir, 'formats-export');
    await cli(target, ['export', '--out', exported]);

    const asAuth0 = await cli(target, ['import', exported, '--format', 'auth0', '--delete']);
    expect(asAuth0.code).toBe(1);
    expect(asAuth0.stderr).toBe(`hookgate: ${join(exported, 'hooks/keep-me/hook.json')}: a hook of the hookgate format (hooks/<name>/hook.json), not an Auth0 Deploy CLI folder: import it with --format hookgate (the default)\n`);

    const directory = join(FIXTURES, 'directory');
    const asHookgate = await cli(target, ['import', directory, '--delete']);
    expect(asHookgate.code).toBe(1);
    expect(asHookgate.stderr).toContain(`${join(directory, 'hooks')}/add-scopes.json: a hook file of the Auth0 Deploy CLI format`);
    expect(asHookgate.stderr).toContain('import it with --format auth0');

    const yaml = await cli(target, ['import', join(FIXTURES, 'yaml'), '--delete']);
    expect(yaml.code).toBe(1);
    expect(yaml.stderr).toContain('an Auth0 Deploy CLI folder (tenant.yaml), not a hookgate one: import it with --format auth0');
    expect(Object.keys(await snapshot(target))).toEqual(['keep-me']);
  });

  it('refuses --delete when the folder yields no hooks at all, and plans it without --delete', async () => {
    const target = await freshDb('empty');
    await withDb(target, (service, viewer) =>
      service.services.hooks.create(viewer(), { name: 'keep-me', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { cb() }' }),
    );
    const empty = join(dir, 'empty-folder');
    mkdirSync(join(empty, 'hooks'), { recursive: true });
    const refused = await cli(target, ['import', empty, '--delete']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the folder holds no hooks, so --delete would delete every hook of the tenant; refused');
    const listed = await cli(target, ['import', empty, '--json']);
    expect(JSON.parse(listed.stdout).plan).toMatchObject([{ action: 'would delete', name: 'keep-me' }]);
    expect(Object.keys(await snapshot(target))).toEqual(['keep-me']);
  });
});

describe('--dry-run refuses what the import refuses', () => {
  it('two enabled send-phone-message hooks: the dry run fails as the import does, and nothing changes', async () => {
    const target = await freshDb('dry-run');
    const folder = join(dir, 'two-senders');
    for (const name of ['sms-one', 'sms-two']) {
      mkdirSync(join(folder, 'hooks', name), { recursive: true });
      const settings = { name, triggerId: 'send-phone-message', enabled: true, timeoutMs: 5000, retries: 0, conditions: [], options: {}, envVarNames: [], contextVersion: null, secrets: [] };
      writeFileSync(join(folder, 'hooks', name, 'hook.json'), JSON.stringify(settings));
      writeFileSync(join(folder, 'hooks', name, 'script.js'), 'module.exports = function (r, t, c, cb) { cb() }');
    }
    const dry = await cli(target, ['import', folder, '--dry-run']);
    const real = await cli(target, ['import', folder]);
    expect(real.code).toBe(1);
    expect(real.stderr).toContain(join(folder, 'hooks/sms-two/hook.json'));
    expect(dry.code).toBe(1);
    expect(dry.stderr).toBe(real.stderr);
    expect(await snapshot(target)).toEqual({});

    // A dry run that passes still changes nothing.
    writeFileSync(join(folder, 'hooks/sms-two/hook.json'), readFileSync(join(folder, 'hooks/sms-two/hook.json'), 'utf8').replace('"enabled":true', '"enabled":false'));
    const ok = await cli(target, ['import', folder, '--dry-run']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Dry run: nothing changed.');
    expect(await snapshot(target)).toEqual({});
  });
});
