/**
 * `npm run bench`: every benchmark in one run, so the ratios compare figures taken on the same
 * machine at the same time. Figures are printed, never asserted: these machines are shared.
 */
import { benchExecutions } from './executions.ts';
import { benchHttp } from './http.ts';
import { benchNeighbours } from './neighbours.ts';
import { benchSandbox } from './sandbox.ts';
import { benchSoak } from './soak.ts';

const parts: [string, () => Promise<void>][] = [
  ['sandbox: warm runs vs fresh context and fresh isolate per run', benchSandbox],
  ['executions at scale (1,000,000 rows)', benchExecutions],
  ['http: runHook end to end against bare graphql-yoga', benchHttp],
  ['soak: 100,000 runs of a mix of hooks, memory over time', benchSoak],
  ["neighbours: one tenant's latency beside another's slow I/O and busy CPU", benchNeighbours],
];

const only = process.argv[2];
for (const [title, run] of parts) {
  if (only && !title.startsWith(only)) continue;
  console.log(`\n## ${title}`);
  await run();
}
process.exit(0);
