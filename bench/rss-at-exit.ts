/**
 * Preloaded into a child process by the benchmarks (`node --import ./bench/rss-at-exit.ts …`):
 * at exit, prints the process's peak resident set size and its peak JS heap (sampled every 50 ms)
 * on stderr as `PEAK_RSS_MB=…` and `PEAK_HEAP_MB=…`. RSS includes the pages of the database file
 * SQLite has mapped (mmap_size), so it grows with the database; the heap is the program's own memory.
 */
let peakHeap = 0;
const sample = (): void => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
setInterval(sample, 50).unref();
process.on('exit', () => {
  sample();
  process.stderr.write(`\nPEAK_RSS_MB=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}\nPEAK_HEAP_MB=${(peakHeap / 1048576).toFixed(0)}\n`);
});
