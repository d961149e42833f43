/**
 * Entry of a sandbox process (forked by `sandbox-process.ts`). It holds no database, no key and
 * no secret but those of the runs it is handed; it runs them on its engine and answers over IPC.
 */
import { Engine } from '../engine.ts';
import type { ChildMessage, HostMessage } from '../protocol.ts';

let engine: Engine | undefined;
let wedged = false;

function send(message: ChildMessage): void {
  if (process.connected) process.send!(message);
}

process.on('message', (message: HostMessage) => {
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
      setInterval(() => send({ t: 'beat' }), Math.max(50, message.options.processGraceMs / 4));
      break;
    case 'run': {
      const { id, request } = message;
      void engine!
        .run({ ...request, onLog: (line) => send({ t: 'log', id, line }) })
        .then((result) => send({ t: 'result', id, result }));
      break;
    }
    case 'stop':
      engine?.dispose();
      exit();
      break;
  }
});

// The service went away (or dropped this process): nothing here may outlive it.
process.on('disconnect', exit);

function exit(): void {
  // A thread parked by a wedged isolate would keep a normal exit waiting for ever.
  if (wedged) process.kill(process.pid, 'SIGKILL');
  else process.exit(0);
}
