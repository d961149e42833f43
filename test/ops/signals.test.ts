import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'hookgate-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Starts the service the way an operator or a supervisor does (`npm start`, `npx hookgate serve`),
 * waits until it listens, sends SIGTERM to the outer process only, and resolves with how it ended
 * and what it logged.
 */
function startAndTerminate(command: string, args: string[], name: string) {
  const child = spawn(command, args, {
    cwd: process.cwd(),
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HOOKGATE_DB: join(dir, `${name}.db`),
      HOOKGATE_BOOTSTRAP_TOKEN: 'hg_signals_test_token_0123456789',
      HOOKGATE_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
      HOOKGATE_SANDBOX_POOL_SIZE: '1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const lines = () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, any>);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let signalled = false;
  const onData = (chunk: Buffer) => {
    output += chunk;
    if (!signalled && lines().some((line) => line.event === 'listening')) {
      signalled = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', (chunk) => (output += chunk));
  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    // A server left behind by a failure: it logged its own pid.
    const server = lines().find((line) => line.event === 'listening')?.pid as number | undefined;
    if (server) {
      try {
        process.kill(server, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  });
  // 'close' comes once every process holding the output pipes has ended: the server included.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return Promise.all([exited, closed]).then(async ([exit]) => {
    // The server must not be listening any more.
    const listening = lines().find((line) => line.event === 'listening');
    const stillUp = listening ? await fetch(new URL('/health', listening.url)).then(() => true, () => false) : false;
    return { exit, events: lines().map((line) => line.event).filter(Boolean), stillUp, output };
  });
}

describe('a SIGTERM to the outer process stops the server gracefully', () => {
  it('npm start (npm → sh → node)', async () => {
    const { exit, events, stillUp, output } = await startAndTerminate('npm', ['start', '--silent'], 'npm-start');
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(events).toEqual(expect.arrayContaining(['listening', 'stopping', 'stopped']));
    expect(stillUp).toBe(false);
  }, 60_000);

  it('npx hookgate serve (npm → sh → the bin → node), whose shell passes no signal on', async () => {
    const { exit, events, stillUp, output } = await startAndTerminate('npx', ['--no', 'hookgate', 'serve'], 'npx');
    // npm ends by the signal as soon as its shell does; what matters is that the server stopped gracefully.
    expect(exit.code === 0 || exit.signal === 'SIGTERM', output).toBe(true);
    expect(events).toEqual(expect.arrayContaining(['listening', 'stopping', 'stopped']));
    expect(stillUp).toBe(false);
  }, 60_000);

  it('the bin wrapper (hookgate serve)', async () => {
    const { exit, events, stillUp, output } = await startAndTerminate(process.execPath, ['bin/hookgate.js', 'serve'], 'bin');
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(events).toEqual(expect.arrayContaining(['listening', 'stopping', 'stopped']));
    expect(stillUp).toBe(false);
  }, 60_000);
});
