import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tree, withDb } from './cli-helpers.ts';

const dir = tempDir('hooks-as-code');
const FIXTURES = fileURLToPath(new URL('../fixtures/auth0-deploy/', import.meta.url));

/** A database with the default tenant (as `tenant create default` makes it). */
async function freshDb(name: string) {
  const db = join(dir, `${name}.db`);
  expect((await cli(db, ['tenant', 'create', 'default'])).code).toBe(0);
  return db;
}

const source = await freshDb('source');
await withDb(source, async (service, viewer) => {
  const hooks = service.services.hooks;
  await hooks.create(viewer(), {
    name: 'vip metadata',
    triggerId: 'pre-user-registration',
    script: 'module.exports = function (user, context, cb) {\n  cb(null, { user: { app_metadata: { vip: true } } });\n};\n',
    timeoutMs: 4000,
    retries: 0,
    conditions: [{ source: 'roles', operator: '~', value: 'admin' }],
    envVarNames: ['API_URL'],
  });
  await hooks.create(viewer(), {
    name: 'risk',
    triggerId: 'pre-authentication',
    script: 'exports.handler = async (context) => ({ success: true, user: { policy_id: context.user.policy_id } })',
    enabled: false,
    options: { risk_enabled: true },
    contextVersion: '1.0.0',
  });
  const welcome = await hooks.create(viewer(), { name: 'welcome', triggerId: 'post-user-registration', script: 'module.exports = function (u, c, cb) { cb() }', retries: 3 });
  service.services.secrets.setHookSecrets(viewer(), { hookId: welcome.id, secrets: [{ name: 'SMTP_PASSWORD', value: 'smtp-secret-value-123' }] });
});

const hookCount = (db: string) => withDb(db, (service, viewer) => service.services.hooks.list(viewer(), {}, { limit: 100, inverted: false }).length);

describe('export and import in hookgate format', () => {
  const first = join(dir, 'first');

  it('exports one folder per hook: settings as JSON, the script as .js, secret names without values', async () => {
    const { code, stdout } = await cli(source, ['export', '--out', first, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ hooks: ['risk', 'vip metadata', 'welcome'], removed: [] });
    const files = tree(first);
    expect(Object.keys(files).sort()).toEqual([
      'hooks/risk/hook.json',
      'hooks/risk/script.js',
      'hooks/vip metadata/hook.json',
      'hooks/vip metadata/script.js',
      'hooks/welcome/hook.json',
      'hooks/welcome/script.js',
    ]);
    expect(JSON.parse(files['hooks/welcome/hook.json']!)).toMatchObject({ triggerId: 'post-user-registration', retries: 3, secrets: ['SMTP_PASSWORD'] });
    expect(JSON.parse(files['hooks/risk/hook.json']!)).toMatchObject({ enabled: false, options: { risk_enabled: true }, contextVersion: '1.0.0' });
    expect(JSON.stringify(files)).not.toContain('smtp-secret-value-123');
  });

  it('round-trips: export, import into an empty database, export again gives the same bytes', async () => {
    const target = await freshDb('target');
    const imported = await cli(target, ['import', first, '--json']);
    expect(imported.code).toBe(0);
    const plan = JSON.parse(imported.stdout);
    expect(plan.applied).toBe(true);
    expect(plan.plan.map((step: { action: string; name: string }) => `${step.action} ${step.name}`)).toEqual(['create risk', 'create vip metadata', 'create welcome']);
    // The secret's value never left the source: the plan says it must be set.
    expect(plan.plan.find((step: { name: string }) => step.name === 'welcome').missingSecrets).toEqual(['SMTP_PASSWORD']);
    const second = join(dir, 'second');
    await cli(target, ['export', '--out', second]);
    const { 'hooks/welcome/hook.json': firstWelcome, ...firstRest } = tree(first);
    const { 'hooks/welcome/hook.json': secondWelcome, ...secondRest } = tree(second);
    expect(secondRest).toEqual(firstRest);
    // Byte-identical once the secret is set in the target too.
    expect(JSON.parse(secondWelcome!).secrets).toEqual([]);
    await withDb(target, (service, viewer) => {
      const welcome = service.services.hooks.list(viewer(), { nameContains: 'welcome' }, { limit: 1, inverted: false })[0]!;
      service.services.secrets.setHookSecrets(viewer(), { hookId: welcome.id, secrets: [{ name: 'SMTP_PASSWORD', value: 'other' }] });
    });
    await cli(target, ['export', '--out', second]);
    expect(tree(second)).toEqual(tree(first));
    expect(firstWelcome).toBeDefined();
  });

  it('prints the plan: unchanged, update with what changes, would delete; --dry-run changes nothing; --delete deletes', async () => {
    const target = await freshDb('plan');
    await cli(target, ['import', first]);
    const edited = join(dir, 'edited');
    cpSync(first, edited, { recursive: true });
    writeFileSync(join(edited, 'hooks/welcome/script.js'), 'module.exports = function (u, c, cb) { cb(null, {}) }');
    const settings = join(edited, 'hooks/risk/hook.json');
    writeFileSync(settings, tree(edited)['hooks/risk/hook.json']!.replace('"enabled": false', '"enabled": true'));
    cpSync(join(edited, 'hooks/vip metadata'), join(dir, 'vip-aside'), { recursive: true });
    await withDb(target, (service, viewer) => service.services.hooks.create(viewer(), { name: 'extra', triggerId: 'send-phone-message', script: 'module.exports = function (r, t, c, cb) { cb() }' }));

    const dry = await cli(target, ['import', edited, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('unchanged    vip metadata (pre-user-registration)');
    expect(dry.stdout).toContain('update       welcome (post-user-registration) — changes: script; secrets to set after import: SMTP_PASSWORD');
    expect(dry.stdout).toContain('update       risk (pre-authentication) — changes: enabled');
    expect(dry.stdout).toContain('would delete extra (send-phone-message) — not in the folder; --delete deletes it');
    expect(dry.stdout).toContain('Dry run: nothing changed.');
    const again = await cli(target, ['import', edited, '--dry-run', '--json']);
    expect(JSON.parse(again.stdout).plan.filter((step: { action: string }) => step.action === 'update')).toHaveLength(2);

    const applied = await cli(target, ['import', edited, '--delete']);
    expect(applied.stdout).toContain('delete       extra (send-phone-message)');
    expect(applied.stdout.indexOf('Plan for tenant')).toBeLessThan(applied.stdout.indexOf('Applied.'));
    const after = await cli(target, ['import', edited, '--json']);
    expect(JSON.parse(after.stdout).plan.map((step: { action: string }) => step.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    await withDb(target, (service, viewer) => {
      const welcome = service.services.hooks.list(viewer(), { nameContains: 'welcome' }, { limit: 1, inverted: false })[0]!;
      expect(welcome.version).toBe(2);
    });
  });

  it('refuses a bad folder, an unknown trigger and a script that does not compile, naming the file and changing nothing', async () => {
    const target = await freshDb('errors');
    await cli(target, ['import', first]);
    await cli(target, ['export', '--out', join(dir, 'before-errors')]);

    const notAFolder = await cli(target, ['import', join(dir, 'nowhere')]);
    expect(notAFolder.code).toBe(1);
    expect(notAFolder.stderr).toContain(`${join(dir, 'nowhere')}: not a hookgate folder`);

    const unknownTrigger = join(dir, 'unknown-trigger');
    cpSync(first, unknownTrigger, { recursive: true });
    writeFileSync(join(unknownTrigger, 'hooks/welcome/script.js'), 'module.exports = function (u, c, cb) { cb(null, 1) }');
    const badSettings = join(unknownTrigger, 'hooks/risk/hook.json');
    writeFileSync(badSettings, tree(unknownTrigger)['hooks/risk/hook.json']!.replace('pre-authentication', 'post-login'));
    const trigger = await cli(target, ['import', unknownTrigger]);
    expect(trigger.code).toBe(1);
    expect(trigger.stderr).toBe(`hookgate: ${badSettings}: unknown trigger "post-login"\n`);

    const broken = join(dir, 'broken');
    cpSync(first, broken, { recursive: true });
    writeFileSync(join(broken, 'hooks/risk/hook.json'), tree(broken)['hooks/risk/hook.json']!.replace('"enabled": false', '"enabled": true'));
    const script = join(broken, 'hooks/welcome/script.js');
    writeFileSync(script, 'module.exports = function (u, c, cb) {\n  cb(null, {);\n}');
    const compile = await cli(target, ['import', broken]);
    expect(compile.code).toBe(1);
    expect(compile.stderr).toMatch(new RegExp(`^hookgate: ${script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: does not compile: .*line 2`));

    const json = join(dir, 'bad-json');
    mkdirSync(join(json, 'hooks/x'), { recursive: true });
    writeFileSync(join(json, 'hooks/x/hook.json'), '{ nope');
    writeFileSync(join(json, 'hooks/x/script.js'), '');
    expect((await cli(target, ['import', json])).stderr).toContain(`${join(json, 'hooks/x/hook.json')}: not valid JSON`);

    await cli(target, ['export', '--out', join(dir, 'after-errors')]);
    expect(tree(join(dir, 'after-errors'))).toEqual(tree(join(dir, 'before-errors')));
    expect(await hookCount(target)).toBe(3);
  });
});

describe('Auth0 Deploy CLI folders', () => {
  const keywords = JSON.stringify({ VIP_API_KEY: 'vip-key-from-keywords', VIP_PLAN: 'gold' });

  it('imports the directory format with keywords from --keywords and the environment, leaving _VALUE_NOT_SHOWN_ secrets unchanged', async () => {
    const target = await freshDb('auth0-dir');
    await withDb(target, async (service, viewer) => {
      const hook = await service.services.hooks.create(viewer(), { name: 'vip-metadata', triggerId: 'pre-user-registration', script: 'module.exports = function (u, c, cb) { cb() }' });
      service.services.secrets.setHookSecrets(viewer(), { hookId: hook.id, secrets: [{ name: 'LEGACY_TOKEN', value: 'legacy-kept' }] });
    });
    const folder = join(FIXTURES, 'directory');
    const result = await cli(target, ['import', folder, '--format', 'auth0', '--keywords', keywords], { REGION: 'eu' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('create       add-scopes (credentials-exchange)');
    expect(result.stdout).toContain('update       vip-metadata (pre-user-registration) — changes: script, secrets.API_KEY');
    expect(result.stdout).not.toContain('vip-key-from-keywords');
    await withDb(target, (service, viewer) => {
      const rows = service.services.hooks.list(viewer(), {}, { limit: 10, inverted: false });
      const vip = rows.find((row) => row.name === 'vip-metadata')!;
      expect(vip.enabled).toBe(true);
      expect(rows.find((row) => row.name === 'add-scopes')!.enabled).toBe(false);
      expect(service.services.hooks.versionOf(vip.id, vip.version)!.script).toContain('app_metadata: { plan: "gold", region: "eu" }');
      expect(service.services.secrets.hookSecretValues(vip.id)).toEqual({ API_KEY: 'vip-key-from-keywords', LEGACY_TOKEN: 'legacy-kept' });
    });
    const again = await cli(target, ['import', folder, '--format', 'auth0', '--keywords', keywords, '--json'], { REGION: 'eu' });
    expect(JSON.parse(again.stdout).plan.map((step: { action: string }) => step.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('imports the YAML format, matching names as the Deploy CLI does, and names a missing keyword', async () => {
    const target = await freshDb('auth0-yaml');
    const folder = join(FIXTURES, 'yaml');
    const missing = await cli(target, ['import', folder, '--format', 'auth0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`hookgate: ${join(folder, 'tenant.yaml')}: no value for the keyword SENDGRID_KEY (give it in --keywords or the environment)\n`);
    expect(await hookCount(target)).toBe(0);

    const env = { SENDGRID_KEY: 'sg-key-from-env', SENDER: 'Acme' };
    const result = await cli(target, ['import', folder, '--format', 'auth0', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).plan).toEqual([
      { action: 'create', name: 'welcome-email', triggerId: 'post-user-registration', file: join(folder, 'tenant.yaml'), changes: [], missingSecrets: [] },
      { action: 'create', name: 'vip-metadata', triggerId: 'pre-user-registration', file: join(folder, 'tenant.yaml'), changes: [], missingSecrets: ['API_KEY'] },
    ]);
    await withDb(target, (service, viewer) => {
      const welcome = service.services.hooks.list(viewer(), { nameContains: 'welcome' }, { limit: 1, inverted: false })[0]!;
      expect(service.services.hooks.versionOf(welcome.id, 1)!.script).toContain("from Acme'");
      expect(service.services.secrets.hookSecretValues(welcome.id)).toEqual({ SENDGRID_KEY: 'sg-key-from-env' });
    });
  });
});
