import { runCli } from './cli/index.ts';

// `npm start` is `hookgate serve`: src/cli/serve.ts.
process.exit(await runCli(['serve', ...process.argv.slice(2)]));
