#!/usr/bin/env node
// `npx hookgate …`: runs the TypeScript CLI (src/cli/main.ts) through tsx, with the flag
// isolated-vm needs on Node 24 (--no-node-snapshot). Signals go to the CLI, whose exit code or
// signal this process ends with.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const child = spawn(process.execPath, ['--no-node-snapshot', '--import', import.meta.resolve('tsx'), cli, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));

// Under npm (`npx hookgate serve`, `npm exec`), npm runs this file through `sh -c`, and a SIGTERM
// to npm reaches that shell, which dies without passing it on: this process is orphaned and never
// told. Its parent's death is then the stop signal, so that the server stops as npm does.
if (process.env.npm_command) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    child.kill('SIGTERM');
  }, 200);
  watch.unref();
}

child.on('exit', (code, signal) => {
  if (signal) {
    // Ended by a signal: end by the same one, as a supervisor expects.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  else process.exit(code ?? 1);
});
