/**
 * Provider directory benchmark: 100,000 generated providers imported from a CSV into a temporary
 * database by the real `npm run providers:import`, exported by the real `npm run providers:export`
 * and the export imported again (each CLI in its own process, with its time and peak RSS), then
 * lookups through ProviderStore.search (the path /pf-provider uses). Prints import and export time
 * and peak memory, how long the import held the write lock, database size and p50/p95 per lookup.
 *
 *   npm run bench -- providers [COUNT]
 *
 * The generated organisations (bench/providers-data.ts, written by a child process so that the peak
 * memory printed here is the import's and the lookups') live in the temporary folder and are
 * deleted at the end. Targets: category+area p95 ≤ 10 ms, keyword p95 ≤ 20 ms, import ≤ 30 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../src/config.js';
import { importProvidersCsv } from '../src/providers/import.js';
import { ProviderStore, type ProviderQuery } from '../src/providers/repository.js';
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

/** Runs the real CLI (`npm run providers:import/export`) in a child process; returns its output, time and peak RSS. */
function cli(dir: string, args: string[]): { stdout: string; seconds: number; peakMb: number; heapMb: number } {
  const t = performance.now();
  // the loader by file URL: the child runs in the temporary folder, where `tsx` would not resolve
  const tsx = pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, '--import', pathToFileURL(join(PROJECT_ROOT, 'bench', 'rss-at-exit.ts')).href, join(PROJECT_ROOT, 'bin', 'providers.ts'), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`providers ${args[0]} が失敗しました: ${r.stderr.slice(-2000)}`);
  return { stdout: r.stdout.trim(), seconds, peakMb: Number(/PEAK_RSS_MB=(\d+)/.exec(r.stderr)?.[1] ?? NaN), heapMb: Number(/PEAK_HEAP_MB=(\d+)/.exec(r.stderr)?.[1] ?? NaN) };
}

const dir = mkdtempSync(join(tmpdir(), 'pf-bench-providers-'));
try {
  const csvPath = join(dir, 'providers.csv');
  let t = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'providers-data.ts'), String(COUNT), csvPath], { stdio: 'inherit' });
  console.log(`CSV 生成: ${COUNT.toLocaleString()} 行、${(statSync(csvPath).size / 1e6).toFixed(1)} MB（${((performance.now() - t) / 1000).toFixed(1)} 秒）`);

  // the real CLI, as an administrator runs it: import, export, then import the export again
  const imported = cli(dir, ['import', csvPath]);
  console.log(`取り込み（npm run providers:import）: ${imported.seconds.toFixed(1)} 秒、ピークメモリ RSS ${imported.peakMb} MB（JS ヒープ ${imported.heapMb} MB） … ${imported.stdout.replace(/^\r/, '')}`);
  const outPath = join(dir, 'export.csv');
  const exported = cli(dir, ['export', outPath]);
  console.log(`書き出し（npm run providers:export）: ${exported.seconds.toFixed(1)} 秒、ピークメモリ RSS ${exported.peakMb} MB（JS ヒープ ${exported.heapMb} MB）、${(statSync(outPath).size / 1e6).toFixed(1)} MB … ${exported.stdout}`);
  const again = cli(dir, ['import', outPath]);
  console.log(`書き出したファイルの再取り込み: ${again.seconds.toFixed(1)} 秒、ピークメモリ RSS ${again.peakMb} MB（JS ヒープ ${again.heapMb} MB） … ${again.stdout.replace(/^\r/, '')}`);
  const dbPath = join(dir, 'data', 'bot.sqlite');
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
