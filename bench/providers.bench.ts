/**
 * Provider directory benchmark: 100,000 generated providers imported from a CSV into a temporary
 * database through the same parse/validate/upsert path as `npm run providers:import`, then lookups
 * through ProviderStore.search (the path /pf-provider uses). Prints import time, database size and
 * p50/p95 per kind of lookup.
 *
 *   npm run bench -- providers [COUNT]
 *
 * The generated organisations (bench/providers-data.ts, written by a child process so that the peak
 * memory printed here is the import's and the lookups') live in the temporary folder and are
 * deleted at the end. Targets: category+area p95 ≤ 10 ms, keyword p95 ≤ 20 ms, import ≤ 30 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { importProvidersCsv } from '../src/providers/import.js';
import { ProviderStore, type ProviderQuery } from '../src/providers/store.js';
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

const dir = mkdtempSync(join(tmpdir(), 'pf-bench-providers-'));
try {
  const csvPath = join(dir, 'providers.csv');
  let t = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'providers-data.ts'), String(COUNT), csvPath], { stdio: 'inherit' });
  console.log(`CSV 生成: ${COUNT.toLocaleString()} 行、${(statSync(csvPath).size / 1e6).toFixed(1)} MB（${((performance.now() - t) / 1000).toFixed(1)} 秒）`);

  const dbPath = join(dir, 'bench.sqlite');
  const db = openDatabase(dbPath);
  const store = new ProviderStore(db);
  t = performance.now();
  const outcome = await importProvidersCsv(store, readFileSync(csvPath), { taxonomy: kb.taxonomy, municipalities, suggest: () => [], defaultSource: 'bench' });
  if (outcome.errors.length) throw new Error(`生成データにエラー: ${outcome.errors[0]!.line}行目 ${outcome.errors[0]!.message}`);
  const importMs = performance.now() - t;
  console.log(`取り込み: ${(importMs / 1000).toFixed(1)} 秒（目標 ≤ 30 秒; 読み込み・検証・書き込みを1回の走査で）新規 ${outcome.created.toLocaleString()} 件、取り込み後のメモリ (RSS) ${rssMb().toFixed(0)} MB`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`データベース: ${(statSync(dbPath).size / 1e6).toFixed(1)} MB`);

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
