import { spawn, type ChildProcess } from 'node:child_process';

export interface SpawnedService {
  child: ChildProcess;
  url: string;
  origin: string;
  /** Everything written so far, stdout and stderr. */
  output: () => string;
  /** The JSON log lines written so far. */
  lines: () => Record<string, any>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `hookgate serve` (src/main.ts) in a child process; resolves once it logs that it listens. */
export function spawnService(env: Record<string, string>, args: string[] = []): Promise<SpawnedService> {
  const child = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'src/main.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const listening = lines().find((line) => line.event === 'listening');
      if (listening) resolve({ child, url: listening.url, origin: new URL(listening.url).origin, output: () => stdout + stderr, lines, exited });
    });
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    void exited.then(({ code }) => reject(new Error(`the service exited with ${code} before listening:\n${stdout}${stderr}`)));
  });
}
