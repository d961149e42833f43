import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('starting with a bad setting', () => {
  it('stops with the setting named, exit code 1 and no stack trace', () => {
    const started = spawnSync(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, HOOKGATE_DB: ':memory:', HOOKGATE_BOOTSTRAP_TOKEN: 'short', PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(started.status).toBe(1);
    expect(started.stderr.trim()).toBe('hookgate: Invalid configuration:\n  HOOKGATE_BOOTSTRAP_TOKEN: HOOKGATE_BOOTSTRAP_TOKEN must be at least 20 characters');
  }, 40_000);
});
