/**
 * `npm run bench`: every benchmark in one run, so the ratios compare figures taken on the same
 * machine at the same time. Figures are printed, never asserted: these machines are shared.
 */
import { benchExecutions } from './executions.ts';
import { benchSandbox } from './sandbox.ts';

const parts: [string, () => Promise<void>][] = [
  ['sandbox: warm runs vs fresh context and fresh isolate per run', benchSandbox],
  ['executions at scale (1,000,000 rows)', benchExecutions],
];

const only = process.argv[2];
for (const [title, run] of parts) {
  if (only && !title.startsWith(only)) continue;
  console.log(`\n## ${title}`);
  await run();
}
process.exit(0);
