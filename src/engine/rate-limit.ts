/** A per-user sliding-window rate limit (in memory: one process serves one prefecture). */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a hit; false when the user is over the limit. */
  allow(key: string, now: number, weight = 1): boolean {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length + weight > this.perMinute) {
      this.hits.set(key, list);
      return false;
    }
    for (let i = 0; i < weight; i++) list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (!v.some((t) => now - t < this.windowMs)) this.hits.delete(k);
    return true;
  }
}
