/**
 * The generated provider CSV for bench/providers.bench.ts, written by a separate process so that
 * the benchmark's peak memory is the import's and the lookups', not the generator's:
 *
 *   node --import tsx bench/providers-data.ts COUNT FILE
 *
 * The organisations are benchmark data only (deterministic, so two runs measure the same data).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { PROJECT_ROOT } from '../src/config.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { CSV_HEADERS } from '../src/providers/csv.js';
import { ORG_TYPES } from '../src/providers/model.js';
import { readMunicipalityList } from '../src/store/municipalities.js';

/** A deterministic generator, so that two runs measure the same data. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const kb = loadKnowledge({ dir: join(PROJECT_ROOT, 'knowledge') });
export const municipalities = readMunicipalityList(join(PROJECT_ROOT, 'knowledge', 'municipalities', 'saitama.csv')).map((m) => m.name);
export const subs = kb.taxonomy.categories.flatMap((c) => c.subcategories.map((s) => ({ category: c, sub: s })));
const NAME_HEADS = ['みどり', 'さくら', 'ひかり', 'あおば', 'ふれあい', 'やまびこ', 'ひまわり', 'つばさ', 'こすもす', 'いずみ'];
const NAME_TAILS = ['商店', 'ストア', '薬局', 'タクシー', 'サービス', '食堂', '工房', '会', 'ネット', 'センター'];
const PHRASES = ['高齢者の見守り', '移動販売車で巡回', '自宅まで配達', 'ゴミ出しの手伝い', '通院の送迎', '配食サービス', 'スマホ教室', '健康体操の教室', '居場所づくりのカフェ', '電球交換など家の困りごと', '買物代行', '安否確認の声かけ'];

export function pick<T>(rnd: () => number, list: readonly T[]): T {
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

// run as a program (not imported by the benchmark): write the file
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [count, file] = process.argv.slice(2);
  if (!count || !file) throw new Error('使い方: node --import tsx bench/providers-data.ts 件数 ファイル');
  writeFileSync(file, generateCsv(Number(count)));
}
