/**
 * `npm run eval -- FILE.jsonl`: scores retrieval on a question file of the dev-set form.
 * A citation is a hit when one of the item's gold phrases is a substring of its text after NFKC
 * and removing all whitespace. Prints hit@1/3/5, MRR@5, out-of-scope precision and recall, and
 * the misses.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { squash } from '../knowledge/normalize.js';
import { createLogger } from '../logger.js';
import { createAssistant } from '../runtime.js';

const Item = z.object({
  id: z.union([z.string(), z.number()]),
  question: z.string(),
  kind: z.string().optional(),
  gold: z.array(z.string()).default([]),
}).passthrough();

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('使い方: npm run eval -- 質問ファイル.jsonl');
    process.exitCode = 2;
    return;
  }
  const items = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => Item.parse(JSON.parse(l)));
  const config = loadConfig();
  const assistant = await createAssistant(config, createLogger('warn'));
  let answerable = 0;
  const hitAt = [0, 0, 0, 0, 0, 0];
  let mrr = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let oosItems = 0;
  const misses: string[] = [];
  const started = Date.now();
  for (const item of items) {
    const r = await assistant.ask(item.question);
    const isOos = item.kind === 'out_of_scope' || item.gold.length === 0;
    if (isOos) {
      oosItems++;
      if (r.outOfScope) tp++;
      else {
        fn++;
        misses.push(`${item.id} 範囲外なのに回答: ${item.question}`);
      }
      continue;
    }
    answerable++;
    if (r.outOfScope) {
      fp++;
      misses.push(`${item.id} 範囲内なのに範囲外と判定: ${item.question}`);
      continue;
    }
    const golds = item.gold.map(squash);
    const rank = r.citations.slice(0, 5).findIndex((c) => golds.some((g) => squash(c.text).includes(g)));
    if (rank >= 0) {
      for (let k = rank + 1; k <= 5; k++) hitAt[k]!++;
      mrr += 1 / (rank + 1);
    }
    if (rank !== 0) {
      const got = r.citations[0] ? `${r.citations[0].title}${r.citations[0].page ? ` P.${r.citations[0].page}` : ''}` : 'なし';
      misses.push(`${item.id} ${rank < 0 ? '5位以内になし' : `${rank + 1}位`}: ${item.question} → 1位: ${got}`);
    }
  }
  const pct = (x: number, n: number): string => (n ? (x / n).toFixed(3) : 'n/a');
  console.log(`質問 ${items.length} 件（回答可能 ${answerable}、範囲外 ${oosItems}）、${Date.now() - started} ms`);
  if (misses.length) {
    console.log('\nミス:');
    for (const m of misses) console.log(`  ${m}`);
  }
  console.log('');
  console.log(`hit@1 ${pct(hitAt[1]!, answerable)}  hit@3 ${pct(hitAt[3]!, answerable)}  hit@5 ${pct(hitAt[5]!, answerable)}  MRR@5 ${pct(mrr, answerable)}`);
  console.log(`範囲外  適合率 ${pct(tp, tp + fp)}  再現率 ${pct(tp, tp + fn)}  （TP ${tp} / FP ${fp} / FN ${fn}）`);
}

main().catch((error: unknown) => {
  console.error(`エラー: ${(error as Error).message}`);
  process.exitCode = 1;
});
