import { exitWith } from './cli/exit.ts';
import { runCli } from './cli/index.ts';

// `npm start` is `hookgate serve`: src/cli/serve.ts.
exitWith(await runCli(['serve', ...process.argv.slice(2)]));
