/**
 * `npm run eval -- FILE.jsonl`: scores retrieval on a question file of the dev-set form (see
 * evaluation/score.ts for what counts as a hit). Prints hit@1/3/5, MRR@5, out-of-scope precision
 * and recall, and the misses.
 */
import { loadConfig } from '../src/config.js';
import { readEvalFile, score, scopeLine, scoreLine, type Outcome } from '../src/evaluation/score.js';
import { createLogger } from '../src/logger.js';
import { createAssistant } from '../src/app.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('使い方: npm run eval -- 質問ファイル.jsonl');
    process.exitCode = 2;
    return;
  }
  const items = readEvalFile(file);
  const assistant = await createAssistant(loadConfig(), createLogger('warn'));
  const started = Date.now();
  const outcomes: Outcome[] = [];
  const firstCited = new Map<Outcome['item'], string>();
  for (const item of items) {
    const r = await assistant.ask(item.question);
    outcomes.push({ item, outOfScope: r.outOfScope, texts: r.citations.map((c) => c.text) });
    const top = r.citations[0];
    firstCited.set(item, top ? `${top.title}${top.page ? ` P.${top.page}` : ''}` : 'なし');
  }
  const s = score(outcomes);
  console.log(`質問 ${items.length} 件（回答可能 ${s.answerable}、範囲外 ${s.outOfScopeItems}）、${Date.now() - started} ms`);
  if (s.misses.length) {
    console.log('\nミス:');
    for (const m of s.misses) {
      const what = m.falseOutOfScope ? '範囲内なのに範囲外と判定' : m.item.gold.length === 0 || m.item.kind === 'out_of_scope' ? '範囲外なのに回答' : m.rank < 0 ? '5位以内になし' : `${m.rank + 1}位`;
      const got = m.rank !== -1 || (!m.falseOutOfScope && m.item.gold.length) ? ` → 1位: ${firstCited.get(m.item)}` : '';
      console.log(`  ${m.item.id} ${what}: ${m.item.question}${got}`);
    }
  }
  console.log('');
  console.log(scoreLine(s));
  console.log(scopeLine(s));
}

main().catch((error: unknown) => {
  console.error(`エラー: ${(error as Error).message}`);
  process.exitCode = 1;
});
