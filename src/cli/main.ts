import { runCli } from './index.ts';

// `hookgate …` (bin/hookgate.js runs this file with the flags isolated-vm needs).
process.exit(await runCli(process.argv.slice(2)));
