import type { Server } from 'node:http';
import type { Logger } from './logger.ts';

export interface StopReport {
  /** Runs still going at the deadline, recorded as interrupted. */
  interrupted: number;
  /** Milliseconds the stop took. */
  durationMs: number;
}

export interface StopSteps {
  logger: Logger;
  /** How long runs in flight may take to finish. */
  timeoutMs: number;
  /** /ready turns 503, new requests and runs are refused, the queue starts nothing more. */
  beginDraining(): void;
  /** Ends live connections (graphql-ws). */
  closeLive(): Promise<void>;
  /** Resolves once no operation, queued run or sandbox run is in flight. */
  inFlightDone(): Promise<void>;
  /** At the deadline: abandons the runs still going and records them interrupted; returns how many. */
  interrupt(): number;
  servers: Server[];
  /** Timers, sandbox and database, closed last. */
  release(): Promise<void>;
}

/** Time left for answers already computed to reach their callers once the runs are done. */
const ANSWER_GRACE_MS = 1000;

/**
 * The graceful stop, in order: drain (refuse new work), wait for what is in flight up to the
 * deadline, record the rest as interrupted, close the servers, then the sandbox and the database.
 */
export function createStopper(steps: StopSteps) {
  let stopping: Promise<StopReport> | null = null;

  async function run(reason: string): Promise<StopReport> {
    const started = Date.now();
    const { logger } = steps;
    logger.info({ event: 'stopping', reason, timeoutMs: steps.timeoutMs }, 'stopping: draining runs in flight');
    steps.beginDraining();
    await steps.closeLive();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), steps.timeoutMs)));
    const outcome = await Promise.race([steps.inFlightDone().then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    let interrupted = 0;
    if (outcome === 'deadline') {
      interrupted = steps.interrupt();
      logger.warn({ event: 'runs-interrupted', interrupted }, 'runs still going at the shutdown deadline were recorded as interrupted');
    }
    // Interrupted runs are answered too (their callers got an Interrupted result): in both cases
    // the answers get a grace to be written, and connections still busy after it are cut.
    await Promise.all(steps.servers.map((server) => closeServer(server, ANSWER_GRACE_MS)));
    await steps.release();
    const report = { interrupted, durationMs: Date.now() - started };
    logger.info({ event: 'stopped', reason, ...report }, 'stopped');
    return report;
  }

  return {
    stop(reason: string): Promise<StopReport> {
      stopping ??= run(reason);
      return stopping;
    },
  };
}

/** Stops listening; open connections get `graceMs` to finish their answers, then are cut. */
async function closeServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Keep-alive connections turn idle once their answer is written.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearInterval(sweep);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
}
