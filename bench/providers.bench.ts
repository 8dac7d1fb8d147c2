/**
 * Provider directory benchmark: 100,000 generated providers imported from a CSV into a temporary
 * database through the same parse/validate/upsert path as `npm run providers:import`, then lookups
 * through ProviderStore.search (the path /pf-provider uses). Prints import time, database size and
 * p50/p95 per kind of lookup.
 *
 *   npm run bench -- providers [COUNT]
 *
 * The generated organisations are benchmark data only: they live in the temporary folder and are
 * deleted at the end. Targets: category+area p95 ≤ 10 ms, keyword p95 ≤ 20 ms, import ≤ 30 s.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { PROJECT_ROOT } from '../src/config.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { CSV_HEADERS, parseProvidersCsv } from '../src/providers/csv.js';
import { ORG_TYPES } from '../src/providers/model.js';
import { ProviderStore, type ProviderQuery } from '../src/providers/store.js';
import { openDatabase } from '../src/store/db.js';
import { readMunicipalityList } from '../src/store/municipalities.js';
import { percentile, rssMb } from './stats.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const LOOKUPS = 1000;

/** A deterministic generator, so that two runs measure the same data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kb = loadKnowledge({ dir: join(PROJECT_ROOT, 'knowledge') });
const municipalities = readMunicipalityList(join(PROJECT_ROOT, 'knowledge', 'municipalities', 'saitama.csv')).map((m) => m.name);
const subs = kb.taxonomy.categories.flatMap((c) => c.subcategories.map((s) => ({ category: c, sub: s })));
const NAME_HEADS = ['みどり', 'さくら', 'ひかり', 'あおば', 'ふれあい', 'やまびこ', 'ひまわり', 'つばさ', 'こすもす', 'いずみ'];
const NAME_TAILS = ['商店', 'ストア', '薬局', 'タクシー', 'サービス', '食堂', '工房', '会', 'ネット', 'センター'];
const PHRASES = ['高齢者の見守り', '移動販売車で巡回', '自宅まで配達', 'ゴミ出しの手伝い', '通院の送迎', '配食サービス', 'スマホ教室', '健康体操の教室', '居場所づくりのカフェ', '電球交換など家の困りごと', '買物代行', '安否確認の声かけ'];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

function generateCsv(count: number): Buffer {
  const rnd = random(7);
  const rows: string[][] = [[...CSV_HEADERS]];
  for (let i = 0; i < count; i++) {
    const chosen = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(rnd, subs)).filter((x, j, a) => a.findIndex((y) => y.sub.id === x.sub.id) === j);
    const whole = rnd() < 0.05;
    const areas = whole ? [] : [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(rnd, municipalities)))];
    rows.push([
      `gen-${i}`, `${pick(rnd, NAME_HEADS)}${pick(rnd, NAME_TAILS)} ${i}号`, '', pick(rnd, ORG_TYPES),
      chosen.map((c) => c.category.name).join('、'), chosen.map((c) => c.sub.name).join('、'), areas.join('、'), whole ? 'はい' : 'いいえ', '',
      `${pick(rnd, PHRASES)}と${pick(rnd, PHRASES)}をしています`, `${chosen.map((c) => c.sub.name).join('・')}。${pick(rnd, PHRASES)}`,
      '048-000-0000', '', '', 'ベンチマーク用の生成データ', rnd() < 0.9 ? '掲載中' : '承認待ち',
    ]);
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(stringify(rows, { record_delimiter: '\r\n' }))]);
}

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
  writeFileSync(csvPath, generateCsv(COUNT));
  console.log(`CSV 生成: ${COUNT.toLocaleString()} 行、${(statSync(csvPath).size / 1e6).toFixed(1)} MB（${((performance.now() - t) / 1000).toFixed(1)} 秒）`);

  const dbPath = join(dir, 'bench.sqlite');
  const db = openDatabase(dbPath);
  const store = new ProviderStore(db);
  t = performance.now();
  const parsed = parseProvidersCsv(readFileSync(csvPath), { taxonomy: kb.taxonomy, municipalities, suggest: () => [], defaultSource: 'bench' });
  const parseMs = performance.now() - t;
  if (parsed.errors.length) throw new Error(`生成データにエラー: ${parsed.errors[0]!.line}行目 ${parsed.errors[0]!.message}`);
  const t2 = performance.now();
  const result = store.upsertMany(parsed.rows.map((r) => r.input));
  const writeMs = performance.now() - t2;
  const importMs = performance.now() - t;
  console.log(`取り込み: ${(importMs / 1000).toFixed(1)} 秒（目標 ≤ 30 秒; 読み込みと検証 ${(parseMs / 1000).toFixed(1)} 秒、書き込み ${(writeMs / 1000).toFixed(1)} 秒）新規 ${result.created.toLocaleString()} 件`);
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
