/** Counts work in progress so that a shutdown can wait for it (bounded by a timeout). */
export class InFlight {
  private count = 0;

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      this.count--;
    }
  }

  get size(): number {
    return this.count;
  }

  /** Resolves true when nothing is in flight, or false after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.count > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.count === 0;
  }
}
