import { exitWith } from './exit.ts';
import { runCli } from './index.ts';

// `hookgate …` (bin/hookgate.js runs this file with the flags isolated-vm needs).
exitWith(await runCli(process.argv.slice(2)));
