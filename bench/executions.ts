/**
 * Scale: the first page of executions filtered by hook, and the next page from its cursor, with
 * 1,000,000 executions in the database, measured through yoga.fetch (parse, validate, execute).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { encodeGlobalID } from '@pothos/plugin-relay';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/ops/logger.ts';
import { createService } from '../src/service.ts';
import { seedExecutions } from '../scripts/seed-executions.ts';
import { ms, percentiles } from './stats.ts';

const PATH = '.bench/executions.db';
const COUNT = 1_000_000;
const TOKEN = 'hg_bench_token_0123456789abcdef';
const ROUNDS = 300;

function seededCount(): number {
  if (!existsSync(PATH)) return 0;
  const db = new Database(PATH, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from executions').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

export async function benchExecutions() {
  if (seededCount() !== COUNT) {
    const started = performance.now();
    seedExecutions(PATH, COUNT, TOKEN);
    console.log(`  seeded ${COUNT.toLocaleString('en')} executions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  // Listing executions never runs a hook: the service's sandbox is never built.
  const service = createService(loadConfig({ HOOKGATE_DB: PATH, HOOKGATE_SECRET_KEY: randomBytes(32).toString('base64') }), { logger: silentLogger() });
  const { db, yoga } = service;
  const hookIds = (db.$client.prepare('select id from hooks').all() as { id: string }[]).map((row) => encodeGlobalID('Hook', row.id));

  const query = `query($first: Int!, $after: String, $filter: ExecutionFilter) {
    executions(first: $first, after: $after, filter: $filter) {
      edges { cursor node { id status source triggerId attempts durationMs createdAt hook { name } hookVersion { version } } }
      pageInfo { hasNextPage endCursor }
    } }`;
  async function page(variables: Record<string, unknown>) {
    const response = await yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'x-graphql-yoga-csrf': '1' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data.executions;
  }

  const first: number[] = [];
  const next: number[] = [];
  for (let round = -20; round < ROUNDS; round++) {
    const filter = { hookId: hookIds[Math.abs(round) % hookIds.length] };
    let started = performance.now();
    const firstPage = await page({ first: 20, filter });
    if (round >= 0) first.push(performance.now() - started);
    started = performance.now();
    await page({ first: 20, filter, after: firstPage.pageInfo.endCursor });
    if (round >= 0) next.push(performance.now() - started);
  }
  const a = percentiles(first);
  const b = percentiles(next);
  console.log(`  executions filtered by hook, first page (20 of ~${(COUNT / hookIds.length).toLocaleString('en')}): p50 ${ms(a.p50)}  p99 ${ms(a.p99)}  (n=${a.n})`);
  console.log(`  executions filtered by hook, next page from cursor:            p50 ${ms(b.p50)}  p99 ${ms(b.p99)}  (n=${b.n})`);
  console.log(`  target: p99 under 20 ms for both: ${a.p99 < 20 && b.p99 < 20 ? 'met' : 'NOT met'}`);
  await service.stop();
}
