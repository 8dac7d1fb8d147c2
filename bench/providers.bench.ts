/**
 * Provider directory benchmark: 100,000 generated providers imported from a CSV into a temporary
 * database by the real `npm run providers:import`, exported by the real `npm run providers:export`
 * and the export imported again (each CLI in its own process, with its time and peak RSS), then
 * lookups through ProviderStore.search (the path /pf-provider uses). Prints import and export time
 * and peak memory, database size and p50/p95 per lookup.
 *
 * While the first import runs, this process plays the bot on its own connection to the same file
 * (as a running bot does): every 20 ms a small write (the bot's dedupe row, in its own transaction,
 * with the bot's busy timeout) and a provider lookup, each timed, and the number of providers a
 * lookup can see. It prints the longest single write-lock hold the import reports, the waits of
 * those writes and lookups while the import writes, and every count seen (all-or-nothing: only the
 * count before and the count after may appear).
 *
 *   npm run bench -- providers [COUNT]
 *
 * The generated organisations (bench/providers-data.ts, written by a child process so that the peak
 * memory printed here is the import's and the lookups') live in the temporary folder and are
 * deleted at the end. Targets: category+area p95 ≤ 10 ms, keyword p95 ≤ 20 ms, import ≤ 30 s,
 * longest lock hold ≈ 200 ms at most.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../src/config.js';
import { importProvidersCsv } from '../src/providers/import.js';
import { ProviderStore, type ProviderQuery } from '../src/providers/repository.js';
import { seedProviders } from '../src/providers/seed.js';
import { openDatabase } from '../src/store/db.js';
import { kb, municipalities, pick, random, subs } from './providers-data.js';
import { percentile, rssMb } from './stats.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const LOOKUPS = 1000;

function measure(label: string, queries: ProviderQuery[], store: ProviderStore): void {
  const times: number[] = [];
  let found = 0;
  for (const q of queries) {
    const t = performance.now();
    const page = store.search(q, 0, 5);
    times.push(performance.now() - t);
    if (page.total) found++;
  }
  console.log(`${label.padEnd(34)} p50 ${percentile(times, 50).toFixed(2).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(2).padStart(6)} ms   （${queries.length} 回、結果あり ${found}）`);
}

// the loader by file URL: the child runs in the temporary folder, where `tsx` would not resolve
const CLI_ARGS = [
  '--import', pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
  '--import', pathToFileURL(join(PROJECT_ROOT, 'bench', 'rss-at-exit.ts')).href,
  join(PROJECT_ROOT, 'bin', 'providers.ts'),
];
const cliEnv = (dir: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? '', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });

interface CliRun {
  stdout: string;
  stderr: string;
  seconds: number;
  peakMb: number;
  heapMb: number;
}

const ran = (stdout: string, stderr: string, seconds: number): CliRun => ({
  stdout: stdout.trim(), stderr, seconds, peakMb: Number(/PEAK_RSS_MB=(\d+)/.exec(stderr)?.[1] ?? NaN), heapMb: Number(/PEAK_HEAP_MB=(\d+)/.exec(stderr)?.[1] ?? NaN),
});

/** Runs the real CLI (`npm run providers:import/export`) in a child process; returns its output, time and peak RSS. */
function cli(dir: string, args: string[]): CliRun {
  const t = performance.now();
  const r = spawnSync(process.execPath, [...CLI_ARGS, ...args], { cwd: dir, env: cliEnv(dir), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`providers ${args[0]} が失敗しました: ${r.stderr.slice(-2000)}`);
  return ran(r.stdout, r.stderr, (performance.now() - t) / 1000);
}

interface Probes {
  /** Small writes (one dedupe row each) and lookups timed while the import was writing its batches. */
  writes: number[];
  lookups: number[];
  /** Every distinct number of providers a lookup connection could count during the whole import. */
  counts: Set<number>;
  failures: string[];
}

/**
 * Runs the import CLI while this process acts as the bot on its own connection: every 20 ms one
 * small write and one lookup, timed (only those made while the CLI says it is writing are kept),
 * and the count of providers visible.
 */
async function importWhileServing(dir: string, args: string[], db: ReturnType<typeof openDatabase>): Promise<{ run: CliRun; probes: Probes }> {
  const store = new ProviderStore(db);
  const write = db.prepare('INSERT INTO processed_events (event_key, processed_at) VALUES (?, ?)');
  const probes: Probes = { writes: [], lookups: [], counts: new Set(), failures: [] };
  const t = performance.now();
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd: dir, env: cliEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let status: number | null | undefined;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.on('exit', (code) => (status = code));
  const rnd = random(5);
  for (let i = 0; status === undefined; i++) {
    const writing = /書き込み中|反映中/.test(stderr.slice(-200));
    try {
      let s = performance.now();
      write.run(`bench-probe-${i}`, Date.now());
      const w = performance.now() - s;
      s = performance.now();
      store.search({ municipality: pick(rnd, municipalities), keyword: '見守り' }, 0, 5);
      const l = performance.now() - s;
      if (writing) {
        probes.writes.push(w);
        probes.lookups.push(l);
      }
      // counting 100,000 rows is itself work: twice a second is enough to see a half-written import
      if (i % 25 === 0) probes.counts.add(store.count());
    } catch (error) {
      probes.failures.push((error as Error).message);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await closed;
  probes.counts.add(store.count());
  if (status !== 0) throw new Error(`providers ${args[0]} が失敗しました: ${stderr.slice(-2000)}`);
  return { run: ran(stdout, stderr, (performance.now() - t) / 1000), probes };
}

const ms = (values: number[], p: number): string => `${percentile(values, p).toFixed(1)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'pf-bench-providers-'));
try {
  const csvPath = join(dir, 'providers.csv');
  let t = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'providers-data.ts'), String(COUNT), csvPath], { stdio: 'inherit' });
  console.log(`CSV 生成: ${COUNT.toLocaleString()} 行、${(statSync(csvPath).size / 1e6).toFixed(1)} MB（${((performance.now() - t) / 1000).toFixed(1)} 秒）`);

  // the real CLI, as an administrator runs it: import (while this process serves as the bot would), export, then import the export again
  const dbPath = join(dir, 'data', 'bot.sqlite');
  const bot = openDatabase(dbPath);
  seedProviders(new ProviderStore(bot), kb.taxonomy);
  const { run: imported, probes } = await importWhileServing(dir, ['import', csvPath], bot);
  bot.close();
  console.log(`取り込み（npm run providers:import）: ${imported.seconds.toFixed(1)} 秒、ピークメモリ RSS ${imported.peakMb} MB（JS ヒープ ${imported.heapMb} MB） … ${imported.stdout.replace(/^\r/, '')}`);
  const longest = /最長 (\d+) ミリ秒/.exec(imported.stdout)?.[1];
  console.log(`  書き込みロックの最長保持: ${longest ?? '?'} ms（取り込み側の計測）`);
  console.log(`  取り込みの書き込み中、別の接続から: 小さな書き込み ${probes.writes.length} 回 p50 ${ms(probes.writes, 50)} / p99 ${ms(probes.writes, 99)} / 最大 ${ms(probes.writes, 100)}、` +
    `検索 ${probes.lookups.length} 回 p50 ${ms(probes.lookups, 50)} / p95 ${ms(probes.lookups, 95)} / 最大 ${ms(probes.lookups, 100)}、失敗 ${probes.failures.length} 件${probes.failures.length ? `（${[...new Set(probes.failures)].join('、')}）` : ''}`);
  console.log(`  検索から見えた件数: ${[...probes.counts].sort((a, b) => a - b).map((n) => n.toLocaleString()).join(' → ')}（取り込み前と後の2つだけなら全か無か）`);
  const outPath = join(dir, 'export.csv');
  const exported = cli(dir, ['export', outPath]);
  console.log(`書き出し（npm run providers:export）: ${exported.seconds.toFixed(1)} 秒、ピークメモリ RSS ${exported.peakMb} MB（JS ヒープ ${exported.heapMb} MB）、${(statSync(outPath).size / 1e6).toFixed(1)} MB … ${exported.stdout}`);
  const again = cli(dir, ['import', outPath]);
  console.log(`書き出したファイルの再取り込み: ${again.seconds.toFixed(1)} 秒、ピークメモリ RSS ${again.peakMb} MB（JS ヒープ ${again.heapMb} MB） … ${again.stdout.replace(/^\r/, '')}`);
  const db = openDatabase(dbPath);
  const store = new ProviderStore(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`データベース: ${(statSync(dbPath).size / 1e6).toFixed(1)} MB`);
  t = performance.now();
  const ctx = { taxonomy: kb.taxonomy, municipalities, suggest: () => [], defaultSource: 'bench' };
  const dry = await importProvidersCsv(store, readFileSync(csvPath), ctx, { dryRun: true });
  console.log(`確認だけ（同じ処理をこのプロセスで、ドライラン）: ${((performance.now() - t) / 1000).toFixed(1)} 秒、更新 ${dry.updated.toLocaleString()} 件`);

  const rnd = random(11);
  const keywords3 = ['移動販売', '見守り', '配食サービス', 'スマホ教室', '健康体操', 'ゴミ出し', '安否確認', 'タクシー'];
  const keywords2 = ['送迎', '配達', '体操', '薬局', '食堂'];
  const cat = (): ProviderQuery => {
    const s = pick(rnd, subs);
    return rnd() < 0.5 ? { categoryId: s.category.id } : { categoryId: s.category.id, subcategoryId: s.sub.id };
  };
  measure('カテゴリ＋市町村', Array.from({ length: LOOKUPS }, () => ({ ...cat(), municipality: pick(rnd, municipalities) })), store);
  measure('市町村のみ', Array.from({ length: LOOKUPS }, () => ({ municipality: pick(rnd, municipalities) })), store);
  measure('キーワード（3文字以上、trigram）', Array.from({ length: LOOKUPS }, () => ({ keyword: pick(rnd, keywords3) })), store);
  measure('キーワード（2文字、bigram）', Array.from({ length: LOOKUPS }, () => ({ keyword: pick(rnd, keywords2) })), store);
  measure('キーワード＋市町村', Array.from({ length: LOOKUPS }, () => ({ keyword: pick(rnd, [...keywords3, ...keywords2]), municipality: pick(rnd, municipalities) })), store);
  measure('カテゴリ＋市町村＋キーワード', Array.from({ length: LOOKUPS }, () => ({ ...cat(), municipality: pick(rnd, municipalities), keyword: pick(rnd, keywords3) })), store);
  console.log(`ピークメモリ (RSS): ${rssMb().toFixed(0)} MB`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
