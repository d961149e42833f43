/**
 * Soak: 100,000 runs of a mix of hooks through `dispatch.runHook` (the Runner's service, as the
 * GraphQL mutation calls it), every execution recorded in a SQLite file, with the RSS and the heap
 * printed every 10,000 runs. The mix is mostly quick hooks of both vendor styles, some with
 * console output, some reading secrets and env vars, some failing, and a small share that time out
 * (busy and idle) or exhaust the isolate's memory.
 *
 * Env: BENCH_SOAK_RUNS (default 100000), BENCH_SOAK_CONCURRENCY (8), BENCH_SOAK_MEMORY_MB (isolate heap
 * limit, default 64: memory bombs reach it sooner than the service's default of 128).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/ops/logger.ts';
import { createService } from '../src/service.ts';

const RUNS = Number(process.env.BENCH_SOAK_RUNS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_SOAK_CONCURRENCY ?? 8);
const EVERY = Math.max(1, Math.round(RUNS / 10));
const WARM_UP = Math.round(RUNS / 5);
const MEMORY_LIMIT_MB = Number(process.env.BENCH_SOAK_MEMORY_MB ?? 64);
const TARGET_GROWTH_MB = 50;

interface HookSpec {
  name: string;
  triggerId: string;
  script: string;
  /** Runs of this hook per 1,000. */
  share: number;
  expect: string;
  timeoutMs?: number;
  enabled?: boolean;
  envVarNames?: string[];
  secrets?: { name: string; value: string }[];
}

const SPECS: HookSpec[] = [
  {
    name: 'auth0-quick',
    triggerId: 'pre-user-registration',
    script: 'module.exports = function (user, context, cb) { cb(null, { user: { app_metadata: { vip: true } } }) }',
    share: 450,
    expect: 'SUCCEEDED',
  },
  {
    name: 'onelogin-quick',
    triggerId: 'pre-authentication',
    script: 'exports.handler = async (context) => ({ success: true, user: { policy_id: context.user.policy_id } })',
    share: 250,
    expect: 'SUCCEEDED',
  },
  {
    name: 'auth0-console',
    triggerId: 'post-user-registration',
    script: `module.exports = function (user, context, cb) {
      console.log('registered', user.email);
      console.info('connection', JSON.stringify(context.connection));
      console.warn('three lines');
      cb(null, {});
    }`,
    share: 120,
    expect: 'SUCCEEDED',
  },
  {
    name: 'auth0-secrets',
    triggerId: 'pre-user-registration',
    enabled: false,
    script: `module.exports = function (user, context, cb) {
      console.log('key', context.webtask.secrets.API_KEY);
      cb(null, { user: { app_metadata: { tier: context.webtask.secrets.TIER } } });
    }`,
    secrets: [
      { name: 'API_KEY', value: 'sk_live_0123456789abcdef' },
      { name: 'TIER', value: 'gold' },
    ],
    share: 80,
    expect: 'SUCCEEDED',
  },
  {
    name: 'onelogin-env',
    triggerId: 'pre-authentication',
    enabled: false,
    script: `exports.handler = async (context) => {
      console.log('policy from env', process.env.POLICY_ID, process.env.TOKEN);
      return { success: true, user: { policy_id: Number(process.env.POLICY_ID) } };
    }`,
    envVarNames: ['POLICY_ID'],
    secrets: [{ name: 'TOKEN', value: 'tok_abcdefghijklmnop' }],
    share: 70,
    expect: 'SUCCEEDED',
  },
  {
    name: 'auth0-throws',
    triggerId: 'pre-user-registration',
    enabled: false,
    script: 'module.exports = function (user, context, cb) { throw new Error("nope " + user.email) }',
    share: 17,
    expect: 'FAILED',
  },
  {
    name: 'busy-timeout',
    triggerId: 'pre-user-registration',
    enabled: false,
    script: 'module.exports = function (user, context, cb) { while (true) {} }',
    timeoutMs: 50,
    share: 6,
    expect: 'TIMED_OUT',
  },
  {
    name: 'idle-timeout',
    triggerId: 'pre-authentication',
    enabled: false,
    script: 'exports.handler = async (context) => new Promise(() => {})',
    timeoutMs: 100,
    share: 5,
    expect: 'TIMED_OUT',
  },
  {
    name: 'memory-bomb',
    triggerId: 'post-user-registration',
    enabled: false,
    script: `module.exports = function (user, context, cb) {
      const hoard = [];
      while (true) hoard.push(new Array(100000).fill(hoard.length));
    }`,
    share: 2,
    expect: 'MEMORY_LIMIT_EXCEEDED',
  },
];

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** A deterministic order of the mix: the same 1,000-run pattern, shuffled once. */
function pattern(): number[] {
  const slots = SPECS.flatMap((spec, index) => Array<number>(spec.share).fill(index));
  if (slots.length !== 1000) throw new Error(`the shares add up to ${slots.length}, not 1000`);
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}

export async function benchSoak() {
  const gc = (globalThis as { gc?: () => void }).gc;
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-soak-'));
  // Built by the composition root, as the service is (never started: the runs go through the
  // service's own dispatch, with its sandbox gate and metrics), warnings on stderr.
  const config = loadConfig({
    HOOKGATE_DB: join(dir, 'hookgate.db'),
    HOOKGATE_SECRET_KEY: randomBytes(32).toString('base64'),
    HOOKGATE_RUN_RATE_LIMIT: '0',
    HOOKGATE_SANDBOX_MEMORY_MB: String(MEMORY_LIMIT_MB),
  });
  const service = createService(config, { logger: createLogger({ level: 'warn', destination: pino.destination({ dest: 2, sync: true }), pretty: false }) });
  const { services, db } = service;
  try {
    const { token } = services.tenants.bootstrap()!;
    const viewer = services.tokens.authenticate(token);
    services.secrets.setEnvVar(viewer, { name: 'POLICY_ID', value: '187345' });
    const hookIds: string[] = [];
    for (const spec of SPECS) {
      const hook = await services.hooks.create(viewer, {
        name: spec.name,
        triggerId: spec.triggerId,
        script: spec.script,
        enabled: spec.enabled,
        timeoutMs: spec.timeoutMs,
        envVarNames: spec.envVarNames,
      });
      if (spec.secrets) services.secrets.setHookSecrets(viewer, { hookId: hook.id, secrets: spec.secrets });
      hookIds.push(hook.id);
    }
    const order = pattern();
    const unexpected = new Map<string, number>();

    console.log(
      `  ${RUNS.toLocaleString('en')} runs, ${CONCURRENCY} at a time, through dispatch.runHook on a SQLite file; isolates of ${MEMORY_LIMIT_MB} MB; gc ${gc ? 'before each reading' : 'NOT exposed (run with --expose-gc)'}`,
    );
    console.log(`  mix per 1,000: ${SPECS.map((s) => `${s.name} ${s.share}`).join(', ')}`);
    const readings: { runs: number; rss: number }[] = [];
    const read = (runs: number, started: number) => {
      gc?.();
      const memory = process.memoryUsage();
      readings.push({ runs, rss: memory.rss });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  ${runs.toLocaleString('en').padStart(8)} runs  ${seconds.toFixed(0).padStart(4)} s  rss ${mb(memory.rss).padStart(9)}  heap used ${mb(memory.heapUsed).padStart(8)}  external ${mb(memory.external).padStart(8)}`,
      );
    };

    const started = performance.now();
    read(0, started);
    let next = 0;
    let done = 0;
    let inFlight = 0;
    let checkpoint = EVERY;
    // A reading waits until no run is in flight (no run's isolate or rows half way), then the
    // workers go on.
    let pause: { wait: Promise<void>; resume: () => void } | null = null;
    const readWhenIdle = () => {
      if (!pause || inFlight > 0) return;
      read(done, started);
      checkpoint += EVERY;
      const { resume } = pause;
      pause = null;
      resume();
    };
    async function worker() {
      while (next < RUNS) {
        if (!pause && next === checkpoint) {
          let resume!: () => void;
          pause = { wait: new Promise<void>((resolve) => (resume = resolve)), resume };
          readWhenIdle();
        }
        if (pause) {
          await pause.wait;
          continue;
        }
        const index = next++;
        inFlight++;
        const specIndex = order[index % order.length];
        const spec = SPECS[specIndex];
        const execution = await services.dispatch.runHook(viewer, { hookId: hookIds[specIndex] });
        inFlight--;
        if (execution.status !== spec.expect) {
          const key = `${spec.name}: ${execution.status} (${(execution.error as { name?: string } | null)?.name ?? ''})`;
          unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
        }
        done++;
        readWhenIdle();
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (readings.at(-1)!.runs !== done) read(done, started);
    const seconds = (performance.now() - started) / 1000;

    const recorded = db.$client.prepare('select status, count(*) as n from executions group by status').all() as { status: string; n: number }[];
    console.log(`  ${RUNS.toLocaleString('en')} runs in ${seconds.toFixed(0)} s (${(RUNS / seconds).toFixed(0)} runs/s); recorded: ${recorded.map((r) => `${r.status} ${r.n}`).join(', ')}`);
    if (unexpected.size) console.log(`  UNEXPECTED outcomes: ${[...unexpected].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
    const base = readings.find((r) => r.runs >= WARM_UP) ?? readings[0];
    const last = readings.at(-1)!;
    const growth = last.rss - base.rss;
    const peak = Math.max(...readings.filter((r) => r.runs >= WARM_UP).map((r) => r.rss));
    console.log(`  rss growth after warm-up (run ${base.runs.toLocaleString('en')} to ${last.runs.toLocaleString('en')}): ${mb(growth)} (peak ${mb(peak)})`);
    console.log(`  target: rss grows by less than ${TARGET_GROWTH_MB} MB after warm-up: ${growth < TARGET_GROWTH_MB * MB ? 'met' : 'NOT met'}`);
  } finally {
    await service.stop('soak done');
    rmSync(dir, { recursive: true, force: true });
  }
}
