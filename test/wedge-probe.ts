/**
 * Whether this Node's V8 fails catastrophically on a property key of tens of megabytes, the wedge
 * that the quarantine, catastrophe and crash tests provoke. Node 24's V8 does: the isolate's thread
 * is parked for good. Node 26's does not: the key is allocated, and the script goes on. Probed once
 * per test file in a child process, since a parked thread would keep this process from exiting.
 */
import { spawnSync } from 'node:child_process';

const PROBE = `
const ivm = require('isolated-vm');
const isolate = new ivm.Isolate({ memoryLimit: 16, onCatastrophicError: () => { console.log('wedged'); process.kill(process.pid, 'SIGKILL'); } });
const context = isolate.createContextSync();
isolate.compileScriptSync("for (const mb of [4, 8, 16, 32]) ({ ['y'.repeat(mb << 20)]: 1 })").run(context, { timeout: 10000 })
  .then(() => console.log('survived'), () => console.log('stopped'))
  .finally(() => process.kill(process.pid, 'SIGKILL'));
`;

function probe(): boolean {
  const child = spawnSync(process.execPath, ['--no-node-snapshot', '-e', PROBE], { encoding: 'utf8', timeout: 30_000 });
  return child.stdout.trim() === 'wedged';
}

export const hugeKeysWedge = probe();
