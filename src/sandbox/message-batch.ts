/**
 * Messages for the other end of the IPC channel, written together once per turn of the event loop.
 * Each write is a system call that wakes the other process, and under load many runs are handed
 * (and answered) in the same turn: one write carries them all. Order is kept as long as every
 * message of a side goes through its batch (the bundle recency and a run's lines before its result
 * depend on it). Both ends read an array of messages.
 *
 * Imported by the sandbox process, which runs under Node's type stripping: no parameter properties.
 */
export class MessageBatch<M> {
  private pending: M[] = [];
  private readonly write: (messages: M[]) => void;

  constructor(write: (messages: M[]) => void) {
    this.write = write;
  }

  post(message: M): void {
    if (this.pending.push(message) === 1) setImmediate(this.flush);
  }

  /** Writes what is pending now (also called at the end of the turn). */
  readonly flush = (): void => {
    if (this.pending.length === 0) return;
    const messages = this.pending;
    this.pending = [];
    this.write(messages);
  };
}
