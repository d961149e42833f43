/**
 * The service's handle on one sandbox process: forks it with an environment stripped of the
 * service's settings (no key, no token), hands it runs, routes its answers, and watches it: a
 * process whose heartbeat stops while it has runs (its own thread is stuck), that reports a wedged
 * isolate or that exits is *gone*: killed, and its runs cut off with `SandboxCrashed`. (Runs that
 * do not stop are the process's own watchdog's business: it sees its isolates' threads.) Its
 * resident memory, reported with each heartbeat, is bounded too: above `processRssRetireMb` it is
 * retired, above `processRssKillMb` killed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MessageBatch } from './message-batch.ts';
import type { SandboxOptions } from './options.ts';
import { BundleRecency, toProcessRequest, type ChildMessage, type HostMessage } from './protocol.ts';
import { crashedResult, disposedResult, notStartedResult } from './run-outcome.ts';
import type { LogLine, RunRequest, RunResult } from './types.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./child/main.ts', import.meta.url));
/** Longest a retired process keeps running for the runs it has under way (hook timeouts are shorter). */
const RETIRE_GRACE_MS = 60_000;
/** What of the service's environment a sandbox process sees: nothing of hookgate's own settings. */
const PASSED_ENV = ['PATH', 'TMPDIR', 'TZ', 'LANG', 'NODE_ENV'];

/**
 * Why a process is replaced: an isolate in it was lost or it held too much memory (`retired`), or
 * it died, went silent or was killed with runs in it (`crashed`).
 */
export type ProcessEnd = { kind: 'retired' | 'crashed'; reason: string };

interface PendingRun {
  request: RunRequest;
  resolve: (result: RunResult) => void;
}

export class SandboxProcess {
  private readonly child: ChildProcess;
  private ready = false;
  /** No new runs: stopped, killed, or retiring. */
  private gone = false;
  /** Gone, but the runs under way are let finish (see `retire`). */
  private retiring = false;
  private sequence = 0;
  /** Handed to the process, not yet answered. */
  private readonly sent = new Map<number, PendingRun>();
  /** Answered, but their fetches go on (lingering): their log lines still reach the caller. */
  private readonly lingering = new Map<number, (line: LogLine) => void>();
  /** Which packages bundles the process holds (protocol.ts). */
  private readonly bundles = new BundleRecency();
  /** Waiting for the process to start. */
  private unsent: PendingRun[] = [];
  private readonly exited: Promise<void>;
  private lastHeard = performance.now();
  /** Isolates alive in the process, as of its last heartbeat. */
  isolates = 0;
  private readonly liveness: NodeJS.Timeout;
  private markReady!: () => void;
  /** Resolves once the process can take runs. */
  readonly started = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    private readonly options: SandboxOptions,
    /** The process is gone; runs it never started are handed back to be run elsewhere. */
    private readonly onGone: (process: SandboxProcess, unsent: PendingRun[], why: ProcessEnd) => void,
  ) {
    const env = Object.fromEntries(PASSED_ENV.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]!]));
    this.child = fork(CHILD_ENTRY, [], {
      // The child's modules are written to run under Node's own type stripping (no parameter
      // properties, no enums): it starts in a fraction of the time a loader would take.
      // --no-concurrent-osr: see isolate-worker.ts (issue 9); set before any isolate compiles.
      execArgv: ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', '--no-concurrent-osr'],
      env,
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.on('message', (messages: ChildMessage[]) => {
      for (const message of messages) this.onMessage(message);
    });
    this.child.once('exit', (code, signal) => this.goneWith(`the sandbox process ended (${signal ?? `exit code ${code}`})`));
    this.child.on('error', () => undefined);
    this.post({ t: 'init', options });
    this.liveness = setInterval(() => {
      if (this.sent.size > 0 && performance.now() - this.lastHeard > options.processGraceMs) {
        this.kill(`the sandbox process was replaced: it did not answer for ${options.processGraceMs} ms`);
      }
    }, Math.max(50, options.processGraceMs / 4));
    this.liveness.unref();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs handed to this process and not yet answered, plus those waiting for it to start. */
  get load(): number {
    return this.sent.size + this.unsent.length;
  }

  run(request: RunRequest): Promise<RunResult> {
    return new Promise((resolve) => this.hand({ request, resolve }));
  }

  hand(pending: PendingRun): void {
    if (this.ready) this.send(pending);
    else this.unsent.push(pending);
  }

  /** Asks the process to stop; kills it if it has not within a second. Runs under way end `SandboxDisposed`. */
  async stop(): Promise<void> {
    this.cutOffAll('SandboxDisposed', 'The sandbox was shut down before the run finished');
    for (const pending of this.unsent.splice(0)) {
      pending.resolve(disposedResult());
    }
    this.gone = true;
    this.post({ t: 'stop' });
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 1_000);
    await this.exited;
    clearTimeout(killer);
  }

  private send(pending: PendingRun): void {
    // The last moment before any of its code runs: a hook refused meanwhile does not start.
    const refusal = pending.request.mayStart?.();
    if (refusal) return pending.resolve(notStartedResult(refusal));
    const id = ++this.sequence;
    this.sent.set(id, pending);
    this.post({ t: 'run', id, request: toProcessRequest(pending.request, this.bundles) });
  }

  private onMessage(message: ChildMessage): void {
    this.lastHeard = performance.now();
    switch (message.t) {
      case 'beat':
        if (typeof message.isolates === 'number') this.isolates = message.isolates;
        if (typeof message.rss === 'number') this.checkMemory(message.rss);
        break;
      case 'ready':
        this.ready = true;
        this.markReady();
        for (const pending of this.unsent.splice(0)) this.send(pending);
        break;
      case 'log':
        try {
          (this.sent.get(message.id)?.request.onLog ?? this.lingering.get(message.id))?.(message.line);
        } catch {
          // A failing listener must not fail the run, nor the other runs' messages of this batch.
        }
        break;
      case 'end':
        this.lingering.delete(message.id);
        break;
      case 'result': {
        const pending = this.sent.get(message.id);
        if (pending === undefined) return;
        this.sent.delete(message.id);
        if (message.lingers && pending.request.onLog !== undefined) this.lingering.set(message.id, pending.request.onLog);
        if (message.result.isolateLost) {
          // The caller refuses the hook first, then the process is retired: the next run gets its successor.
          pending.request.onIsolateLost?.();
          this.retire('an isolate in it was lost');
        }
        pending.resolve(message.result);
        if (this.retiring && this.sent.size === 0) this.kill('the sandbox process was retired');
        break;
      }
      case 'wedged':
        this.retire('an isolate in it was lost');
        break;
    }
  }

  /** Memory V8's heap limits do not count (README.md, Containment): retire the process, or kill it. */
  private checkMemory(rssBytes: number): void {
    const rssMb = Math.round(rssBytes / 2 ** 20);
    const { processRssRetireMb, processRssKillMb } = this.options;
    if (rssMb > processRssKillMb) this.kill(`the sandbox process was killed: it held ${rssMb} MB of memory, more than ${processRssKillMb} MB`, true);
    else if (rssMb > processRssRetireMb) this.retire(`it held ${rssMb} MB of memory, more than ${processRssRetireMb} MB`);
  }

  /**
   * An isolate thread of this process is lost, or it holds too much memory: a successor takes every
   * new run, while the runs under way here end as they would have (each has its deadline); then the
   * process is killed and its memory returns. Runs still here after `RETIRE_GRACE_MS` are cut off.
   */
  private retire(why: string): void {
    if (this.gone) return;
    this.retiring = true;
    this.gone = true;
    this.onGone(this, this.unsent.splice(0), { kind: 'retired', reason: why });
    if (this.sent.size === 0) return this.kill('the sandbox process was retired');
    setTimeout(() => this.kill(`the sandbox process was replaced: ${why}`), RETIRE_GRACE_MS).unref();
  }

  /** `crash`: the kill counts as a crash even when the process was already retired (and replaced). */
  private kill(reason: string, crash = false): void {
    if (this.gone && !this.retiring) return;
    const replaced = this.gone;
    this.child.kill('SIGKILL');
    const told = this.goneWith(reason);
    if (crash && replaced && !told) this.onGone(this, [], { kind: 'crashed', reason });
  }

  /**
   * The process is gone: its runs are cut off. A crash is told (true) when it was not replaced
   * yet, or when it was (retired) but still had runs, which end SandboxCrashed like any others.
   */
  private goneWith(reason: string): boolean {
    clearInterval(this.liveness);
    this.lingering.clear();
    const cutOff = this.sent.size;
    this.cutOffAll('SandboxCrashed', `The run was cut off: ${reason}`);
    this.retiring = false;
    if (this.gone) {
      if (cutOff > 0) this.onGone(this, [], { kind: 'crashed', reason });
      return cutOff > 0;
    }
    this.gone = true;
    this.onGone(this, this.unsent.splice(0), { kind: 'crashed', reason });
    return true;
  }

  private cutOffAll(name: 'SandboxCrashed' | 'SandboxDisposed', message: string): void {
    for (const pending of this.sent.values()) pending.resolve(crashedResult(name, message));
    this.sent.clear();
  }

  private readonly outgoing = new MessageBatch<HostMessage>((messages) => {
    if (this.child.connected) this.child.send(messages);
  });

  private post(message: HostMessage): void {
    this.outgoing.post(message);
  }
}

export type { PendingRun };
