/**
 * Preloaded into a child process by the benchmarks (`node --import ./bench/rss-at-exit.ts …`):
 * at exit, prints the process's peak resident set size on stderr as `PEAK_RSS_MB=…`, so that a
 * benchmark can report the peak memory of the real CLI it ran.
 */
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_MB=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}\n`);
});
