/** Small measurement helpers shared by the benchmarks. */

/** Nearest-rank percentile of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Peak resident set size of this process so far, in MB. */
export function rssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
