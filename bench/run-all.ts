/** `npm run bench`: runs every benchmark under bench/ in turn. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
// `npm run bench -- NAME [ARGS…]` runs the benchmarks whose file name contains NAME, with ARGS
const [only, ...args] = process.argv.slice(2);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort()) {
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(dir, file), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
