/**
 * `npm run bench`: every benchmark in one run, so the ratios compare figures taken on the same
 * machine at the same time. Figures are printed, never asserted: these machines are shared.
 */
import { benchExecutions } from './executions.ts';
import { benchHttp } from './http.ts';
import { benchNeighbours } from './neighbours.ts';
import { benchSandbox } from './sandbox.ts';
import { benchSoak } from './soak.ts';

// The parts that load servers in child processes come before those that fill this process's heap
// (a million rows, a soak): autocannon runs here, and a heavy heap slowed it enough to lower the
// fastest server's figure (the floor measured 3,392 req/s after them, 4,400-5,200 alone).
const parts: [string, () => Promise<void>][] = [
  ['sandbox: warm runs vs fresh context and fresh isolate per run', benchSandbox],
  ['http: runHook end to end against bare graphql-yoga', benchHttp],
  ["neighbours: one tenant's latency beside another's slow I/O and busy CPU", benchNeighbours],
  ['executions at scale (1,000,000 rows)', benchExecutions],
  ['soak: 100,000 runs of a mix of hooks, memory over time', benchSoak],
];

const only = process.argv[2];
for (const [title, run] of parts) {
  if (only && !title.startsWith(only)) continue;
  console.log(`\n## ${title}`);
  await run();
}
process.exit(0);
