/**
 * Turns on the CPU: the engine handles one event at a time, in arrival order, with a turn of the
 * event loop before each.
 *
 * Why: answering is CPU work on Node's one thread (retrieval, composing, rendering). Run as the
 * events arrive, a burst of fifty questions held the loop for 200–300 ms at a time, and a platform
 * request needs several loop turns to be read and acknowledged: under load Slack's acks drifted
 * past its 3-second limit (bench/load.bench.ts). Between two turns Node reads new requests and the
 * adapters acknowledge them at once.
 *
 * Waiting on the network (a language model, remote embeddings) happens outside the turn
 * (`outside`), so a slow model never holds up a checklist click.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class Turns {
  private busy = false;
  private readonly waiting: (() => void)[] = [];
  private readonly holding = new AsyncLocalStorage<boolean>();

  /** Runs `work` in its turn. Re-entrant: work already in a turn runs directly. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.holding.getStore()) return work();
    await this.take();
    try {
      return await this.holding.run(true, work);
    } finally {
      this.release();
    }
  }

  /** Runs network-bound work without holding the turn, then waits for the turn again. */
  async outside<T>(io: () => Promise<T>): Promise<T> {
    if (!this.holding.getStore()) return io();
    this.release();
    try {
      return await this.holding.run(false, io);
    } finally {
      await this.take();
    }
  }

  /** Events waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  private async take(): Promise<void> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.busy = true;
    await new Promise((resolve) => setImmediate(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // the turn passes straight to the next in line (busy stays true), so nobody jumps the queue
    if (next) next();
    else this.busy = false;
  }
}
