import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config.ts';
import { cli, tempDir } from './cli-helpers.ts';

const dir = tempDir('cli');
const db = join(dir, 'hookgate.db');

describe('hookgate commands', () => {
  it('has --help on every command, exit code 0', async () => {
    for (const command of [[], ['serve'], ['migrate'], ['tenant'], ['tenant', 'create'], ['tenant', 'list'], ['token'], ['token', 'create'], ['token', 'list'], ['token', 'revoke'], ['export'], ['import']]) {
      const { code, stdout } = await cli(db, [...command, '--help']);
      expect(code, command.join(' ')).toBe(0);
      expect(stdout, command.join(' ')).toContain(`Usage: hookgate ${command.join(' ')}`.trim());
    }
  });

  it('tells its version', async () => {
    expect(await cli(db, ['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  it('lists every setting in serve --help', async () => {
    const { stdout } = await cli(db, ['serve', '--help']);
    for (const name of Object.keys(SETTINGS)) expect(stdout).toContain(name);
  });

  it('answers bad usage with exit code 2', async () => {
    expect((await cli(db, ['bogus'])).code).toBe(2);
    expect((await cli(db, ['token', 'create', '--tenant', 'x'])).code).toBe(2);
    const format = await cli(db, ['import', dir, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('hookgate, auth0');
  });

  it('migrates, creates and lists tenants, creates, lists and revokes tokens, with --json', async () => {
    expect(JSON.parse((await cli(db, ['migrate', '--json'])).stdout)).toEqual({ database: db, migrations: expect.any(Number) });
    const created = JSON.parse((await cli(db, ['tenant', 'create', 'acme', '--json'])).stdout);
    expect(created).toEqual({ id: expect.any(String), name: 'acme', token: expect.stringMatching(/^hg_/) });
    expect(JSON.parse((await cli(db, ['tenant', 'list', '--json'])).stdout)).toEqual([{ id: created.id, name: 'acme', createdAt: expect.any(String) }]);

    const token = JSON.parse((await cli(db, ['token', 'create', '--tenant', 'acme', '--scopes', 'read:hooks,run:hooks', '--name', 'ci', '--json'])).stdout);
    expect(token).toMatchObject({ name: 'ci', scopes: ['read:hooks', 'run:hooks'], token: expect.stringMatching(/^hg_/) });
    const listed = JSON.parse((await cli(db, ['token', 'list', '--tenant', 'acme', '--json'])).stdout);
    expect(listed.map((row: { name: string }) => row.name).sort()).toEqual(['admin', 'ci']);
    expect(JSON.stringify(listed)).not.toContain(token.token);
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const revoked = JSON.parse((await cli(db, ['token', 'revoke', token.id, '--tenant', 'acme', '--json'])).stdout);
    expect(revoked).toEqual({ id: token.id, revokedAt: expect.any(String) });
    const after = JSON.parse((await cli(db, ['token', 'list', '--tenant', 'acme', '--json'])).stdout);
    expect(after.find((row: { id: string }) => row.id === token.id).revokedAt).toBe(revoked.revokedAt);
  });

  it('fails with exit code 1 and a message, no stack trace', async () => {
    const unknown = await cli(db, ['token', 'list', '--tenant', 'nobody']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe('hookgate: unknown tenant "nobody" (tenants: acme)\n');
    const taken = await cli(db, ['tenant', 'create', 'acme']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^hookgate: .*acme/);
    expect(taken.stderr).not.toContain('    at ');
    const badScope = await cli(db, ['token', 'create', '--tenant', 'acme', '--scopes', 'fly:planes']);
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toContain('scopes');
  });

  it('prints its failures as JSON on stdout with --json, naming the file of a bad folder', async () => {
    const unknown = await cli(db, ['token', 'list', '--tenant', 'nobody', '--json']);
    expect(unknown).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(unknown.stdout)).toEqual({ error: { message: 'unknown tenant "nobody" (tenants: acme)', exitCode: 1 } });
    const folder = join(dir, 'no-such-folder');
    const missing = await cli(db, ['import', folder, '--tenant', 'acme', '--json']);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { message: `${folder}: not a hookgate folder: it has no hooks/ folder`, exitCode: 1, file: folder } });
    const usage = await cli(db, ['import', folder, '--format', 'nope', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ exitCode: 2, message: expect.stringContaining('nope') });
  });

  it('serve fails with exit code 1 and the reason when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const run = spawnSync(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'src/main.ts'], {
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', HOOKGATE_DB: ':memory:', HOOKGATE_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
  }, 40_000);

  it('runs from the package bin', () => {
    const run = spawnSync(process.execPath, ['bin/hookgate.js', 'tenant', 'list', '--json'], {
      env: { ...process.env, HOOKGATE_DB: db, HOOKGATE_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).map((row: { name: string }) => row.name)).toEqual(['acme']);
  }, 40_000);
});
