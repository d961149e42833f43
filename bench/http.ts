/**
 * End to end over HTTP: `runHook` and `dispatchTrigger` of a trivial saved hook on the real hookgate server, against a
 * bare graphql-yoga server with a trivial mutation, measured in the same run with the same
 * autocannon settings. Each server runs in a child process with this process's Node flags; the
 * load generator stays here, so it never shares a server's event loop (both servers pay the same
 * for sharing the machine's cores with it). A third server, the floor (bench/http-server.ts), does
 * only what a recorded run cannot skip: a reference for how much of the gap is the work itself.
 *
 * The figures are of servers in their steady state, as a service serving for hours is: each target
 * is loaded for BENCH_HTTP_WARMUP_SECONDS before any window is measured (hookgate's server twice,
 * for runHook and for dispatchTrigger). V8 goes on compiling a large server's hot code for a while
 * under load (traced with --trace-opt on hookgate under dispatchTrigger load: about 1 s of TurboFan
 * work per 4 s over the first 8 s, 0.2 s per 4 s until about 20 s, next to nothing after 36 s; the
 * floor, a small server, settles within 4 s). With 3 s per target, the first rounds measured
 * hookgate while its compiler took CPU from it.
 *
 * Env: BENCH_HTTP_CONNECTIONS (default 16), BENCH_HTTP_SECONDS (10 per target),
 * BENCH_HTTP_WARMUP_SECONDS (10), BENCH_HTTP_ROUNDS (5: the measured seconds, cut in turns).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { removeBenchDir, TRIGGER_ID, type ReadyMessage } from './http-server.ts';
import { ms, percentiles } from './stats.ts';

const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 5);
const SERVER_SCRIPT = fileURLToPath(new URL('./http-server.ts', import.meta.url));

interface Target {
  name: string;
  kind: 'yoga' | 'hookgate' | 'floor';
  request(ready: ReadyMessage): { headers: Record<string, string>; body: string };
  /** Whether a response body is the successful answer (checked on every response). */
  verify(body: string): boolean;
}

const RUN_HOOK = `mutation Run($input: RunHookInput!) {
  runHook(input: $input) {
    __typename
    ... on RunHookSuccess { execution { id status response } }
    ... on Error { message }
  }
}`;

const DISPATCH = `mutation Dispatch($input: DispatchTriggerInput!) {
  dispatchTrigger(input: $input) {
    __typename
    ... on DispatchTriggerSuccess { outcome executions { id status } }
    ... on Error { message }
  }
}`;

const targets: Target[] = [
  {
    name: 'bare yoga: echo mutation',
    kind: 'yoga',
    request: () => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation Echo($input: String!) { echo(input: $input) }', variables: { input: 'hello' } }),
    }),
    verify: (body) => body === '{"data":{"echo":"hello"}}',
  },
  {
    name: 'hookgate: runHook (trivial hook)',
    kind: 'hookgate',
    request: (ready) => ({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.token}` },
      body: JSON.stringify({ query: RUN_HOOK, variables: { input: { hookId: ready.hookId, payload: ready.payload } } }),
    }),
    verify: (body) => body.includes('"status":"SUCCEEDED"') && body.includes('"response":{"ok":true}') && !body.includes('"errors"'),
  },
  {
    name: 'hookgate: dispatchTrigger (trivial)',
    kind: 'hookgate',
    request: (ready) => ({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.token}` },
      body: JSON.stringify({ query: DISPATCH, variables: { input: { triggerId: TRIGGER_ID, payload: ready.payload } } }),
    }),
    verify: (body) => body.includes('"outcome":"ALLOW"') && body.includes('"status":"SUCCEEDED"') && !body.includes('"errors"'),
  },
  {
    name: 'floor: recorded run, nothing else',
    kind: 'floor',
    request: (ready) => ({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.token}` },
      body: JSON.stringify({ query: 'mutation Run($hookId: ID!, $payload: JSON!) { run(hookId: $hookId, payload: $payload) }', variables: { hookId: ready.hookId, payload: ready.payload } }),
    }),
    verify: (body) => body.includes('"status":"SUCCEEDED"') && body.includes('"response":{"ok":true}') && !body.includes('"errors"'),
  },
];

interface Figures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

/** What one window of load measured: every successful answer's latency, and the failures. */
interface Window {
  latencies: number[];
  seconds: number;
  bad: number;
}

function startServer(kind: Target['kind']): Promise<{ child: ChildProcess; ready: ReadyMessage }> {
  const child = spawn(process.execPath, [...process.execArgv, SERVER_SCRIPT, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve({ child, ready: JSON.parse(line.slice(6)) as ReadyMessage });
      else console.log(`  [${kind}] ${line}`);
    });
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited early (code ${code})`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function load(url: string, request: { headers: Record<string, string>; body: string }, verify: (body: string) => boolean, seconds: number): Promise<Window> {
  const latencies: number[] = [];
  let bad = 0;
  let finished!: (result: autocannon.Result) => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finished = resolve), (failed = reject)));
  const options: autocannon.Options = {
    url,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    verifyBody: (body) => typeof body === 'string' && verify(body),
  };
  const instance = autocannon(options, (error, result) => (error ? failed(error) : finished(result)));
  // autocannon's own histogram is in whole milliseconds; the raw samples keep the fractions.
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else bad++;
  });
  const result = await done;
  bad += result.errors + result.timeouts + result.mismatches;
  return { latencies, seconds: result.duration, bad };
}

function figuresOf(windows: Window[]): Figures {
  const latencies = windows.flatMap((window) => window.latencies);
  const seconds = windows.reduce((sum, window) => sum + window.seconds, 0);
  const { p50, p99 } = percentiles(latencies);
  return { requests: latencies.length, seconds, rps: latencies.length / seconds, p50, p99, bad: windows.reduce((sum, window) => sum + window.bad, 0) };
}

/** A target's server, started and checked, with its request and the answers it gave. */
interface Serving {
  target: Target;
  url: string;
  request: { headers: Record<string, string>; body: string };
  windows: Window[];
  answered: number;
}

async function startServing(target: Target, servers: Map<Target['kind'], { child: ChildProcess; ready: ReadyMessage }>): Promise<Serving> {
  if (!servers.has(target.kind)) servers.set(target.kind, await startServer(target.kind));
  const { ready } = servers.get(target.kind)!;
  const url = `http://127.0.0.1:${ready.port}/graphql`;
  const request = target.request(ready);
  // One request first: a wrong answer fails loudly instead of being benchmarked.
  const probe = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await probe.text();
  if (probe.status !== 200 || !target.verify(text)) throw new Error(`${target.name}: unexpected answer ${probe.status} ${text}`);
  const warm = await load(url, request, target.verify, WARMUP_SECONDS);
  return { target, url, request, windows: [], answered: 1 + warm.latencies.length };
}

/** Every answered run recorded its execution in its server's database (read after the server's exit). */
function checkRecorded(kind: Target['kind'], ready: ReadyMessage, answered: number) {
  const db = new Database(ready.dbPath!, { readonly: true });
  const recorded = (db.prepare(`select count(*) as n from executions where status = 'SUCCEEDED'`).get() as { n: number }).n;
  db.close();
  console.log(`  ${kind} recorded ${recorded.toLocaleString('en')} executions for ${answered.toLocaleString('en')} successful answers`);
  if (recorded < answered) throw new Error(`${kind} answered runs it did not record`);
  removeBenchDir(ready.dbPath!);
}

/**
 * Every server is started and warmed up first; then the measured seconds of each target are cut
 * into ROUNDS windows, taken in turn (the order turning each round), so a stretch of a noisy
 * machine falls on every target alike rather than on whichever ran then.
 */
async function measureAll(): Promise<Window[][]> {
  const servers = new Map<Target['kind'], { child: ChildProcess; ready: ReadyMessage }>();
  try {
    const serving: Serving[] = [];
    for (const target of targets) serving.push(await startServing(target, servers));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < serving.length; i++) {
        const one = serving[(round + i) % serving.length]!;
        const window = await load(one.url, one.request, one.target.verify, SECONDS / ROUNDS);
        one.windows.push(window);
        one.answered += window.latencies.length;
      }
    }
    for (const [kind, { child, ready }] of servers) {
      await stopServer(child);
      if (kind === 'yoga') continue;
      const answered = serving.filter((one) => one.target.kind === kind).reduce((sum, one) => sum + one.answered, 0);
      checkRecorded(kind, ready, answered);
    }
    return serving.map((one) => one.windows);
  } finally {
    for (const { child } of servers.values()) await stopServer(child);
  }
}

function line(name: string, f: Figures): string {
  return `  ${name.padEnd(34)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${ms(f.p50).padStart(9)}  p99 ${ms(f.p99).padStart(9)}  (${f.requests.toLocaleString('en')} requests in ${f.seconds.toFixed(1)} s${f.bad ? `, ${f.bad} failed` : ''})`;
}

export async function benchHttp() {
  console.log(
    `  autocannon in the parent process, each server in a child (${process.execArgv.join(' ')}); ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured per target in ${ROUNDS} rounds taken in turn`,
  );
  const windows = await measureAll();
  const results = windows.map(figuresOf);
  targets.forEach((target, i) => console.log(line(target.name, results[i]!)));
  const [bare, hookgate, dispatch, floor] = results as [Figures, Figures, Figures, Figures];
  const throughputRatio = hookgate.rps / bare.rps;
  const p99Ratio = hookgate.p99 / bare.p99;
  console.log(`  ratio hookgate/bare: throughput ${throughputRatio.toFixed(2)}  p50 ${(hookgate.p50 / bare.p50).toFixed(2)}×  p99 ${p99Ratio.toFixed(2)}×`);
  console.log(`  target: throughput at least 0.8 of bare yoga: ${throughputRatio >= 0.8 ? 'met' : 'NOT met'}`);
  console.log(`  target: p99 under 2× bare yoga's p99: ${p99Ratio < 2 ? 'met' : 'NOT met'}`);
  // Context for the figures above: what the least possible recorded run reaches on this machine.
  console.log(`  reference: the floor (a recorded run and nothing else) reaches throughput ${(floor.rps / bare.rps).toFixed(2)} of bare yoga, p99 ${(floor.p99 / bare.p99).toFixed(2)}×; hookgate reaches ${(hookgate.rps / floor.rps).toFixed(2)} of the floor`);
  // The pipeline's path, through the sandbox process (issue 10): against the floor.
  const dispatchRatio = dispatch.rps / floor.rps;
  console.log(`  dispatchTrigger: throughput ${dispatchRatio.toFixed(2)} of the floor (target at least 0.5: ${dispatchRatio >= 0.5 ? 'met' : 'NOT met'}), p99 ${(dispatch.p99 / floor.p99).toFixed(2)}× the floor's (target under 2×: ${dispatch.p99 / floor.p99 < 2 ? 'met' : 'NOT met'}); ${(dispatch.rps / bare.rps).toFixed(2)} of bare yoga`);
  const rps = (window: Window) => window.latencies.length / window.seconds;
  console.log(`  dispatchTrigger/floor by round: ${windows[2]!.map((window, round) => (rps(window) / rps(windows[3]![round]!)).toFixed(2)).join(' ')}`);
  if (hookgate.bad || bare.bad || dispatch.bad) console.log(`  WARNING: failed requests (hookgate ${hookgate.bad}, dispatch ${dispatch.bad}, bare ${bare.bad})`);
}
