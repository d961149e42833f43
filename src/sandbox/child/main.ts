/**
 * Entry of a sandbox process (forked by `sandbox-process.ts`). It holds no database, no key and
 * no secret but those of the runs it is handed; it runs them on its engine and answers over IPC.
 */
import { Engine } from '../engine.ts';
import { MessageBatch } from '../message-batch.ts';
import { BundleRecency, type ChildMessage, type HostMessage, type ProcessRunRequest } from '../protocol.ts';
import type { RunBundle } from '../types.ts';

/** How often the process looks at its own resident memory (a cheap read): above the bound, it says so at once. */
const MEMORY_SAMPLE_MS = 100;

let engine: Engine | undefined;
let wedged = false;
const bundleOrder = new BundleRecency();
const bundleSources = new Map<string, string>();

/** The run's packages bundle: its source came with this message or with an earlier one (protocol.ts). */
function bundleOf(request: ProcessRunRequest): RunBundle | undefined {
  if (request.bundle === undefined) return undefined;
  const { hash, source } = request.bundle;
  bundleOrder.touch(hash, (gone) => bundleSources.delete(gone));
  if (source !== undefined) bundleSources.set(hash, source);
  const known = bundleSources.get(hash);
  return known === undefined ? undefined : { hash, source: known };
}

const outgoing = new MessageBatch<ChildMessage>((messages) => {
  if (process.connected) process.send!(messages);
});

function send(message: ChildMessage): void {
  outgoing.post(message);
}

process.on('message', (messages: HostMessage[]) => {
  for (const message of messages) receive(message);
});

function receive(message: HostMessage): void {
  switch (message.t) {
    case 'init':
      engine = new Engine(message.options, (reason) => {
        if (wedged) return;
        wedged = true;
        // After the culprit's result (sent once its promise settles): the service then kills this
        // process and starts a new one.
        setImmediate(() => send({ t: 'wedged', message: reason }));
      });
      send({ t: 'ready' });
      startBeating(message.options.processGraceMs, message.options.processRssRetireMb);
      break;
    case 'run': {
      const { id, request } = message;
      let lingers = false;
      const linger = {
        started: () => (lingers = true),
        ended: () => {
          lingers = false;
          send({ t: 'end', id });
        },
      };
      void engine!
        .run({ ...request, bundle: bundleOf(request), onLog: (line) => send({ t: 'log', id, line }) }, linger)
        .then((result) => send({ t: 'result', id, result, lingers }));
      break;
    }
    case 'stop':
      engine?.dispose();
      exit();
      break;
  }
}

// The service went away (or dropped this process): nothing here may outlive it.
process.on('disconnect', exit);

/** Heartbeats with the process's resident memory; an early one when that passes the host's bound. */
function startBeating(graceMs: number, rssRetireMb: number): void {
  const beat = (rss: number) => send({ t: 'beat', isolates: engine?.isolates ?? 0, rss });
  setInterval(() => beat(process.memoryUsage.rss()), Math.max(50, graceMs / 4));
  setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > rssRetireMb * 2 ** 20) beat(rss);
  }, MEMORY_SAMPLE_MS).unref();
}

function exit(): void {
  // A thread parked by a wedged isolate would keep a normal exit waiting for ever.
  if (wedged) process.kill(process.pid, 'SIGKILL');
  else process.exit(0);
}
