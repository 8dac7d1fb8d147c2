/**
 * `npm run eval -- FILE.jsonl [--ablate] [--set name=value,…]`: scores retrieval on a question file
 * of the dev-set form (see evaluation/score.ts for what counts as a hit). Prints hit@1/3/5, MRR@5,
 * out-of-scope precision and recall, and the misses.
 *
 * --ablate reruns the set with each ranking signal, the within-section stage and each analysis
 *   resource switched off in turn, and prints what each is worth: every weight has a measured reason.
 * --set changes weights for this run (e.g. --set dense=0.5,section=0), to try a change before
 *   making it the default.
 * --llm also runs the set through the configured model (OPENAI_API_KEY, OPENAI_BASE_URL …: rerank,
 *   then the generated answer, within LLM_TIMEOUT_MS per question) and prints both rows, the gain,
 *   how many answers the model wrote and the time per question. Without it the run is offline
 *   even when a model is configured, so the figures compare.
 */
import { loadConfig } from '../src/config.js';
import { Assistant } from '../src/answering/assistant.js';
import { readEvalFile, score, scopeLine, scoreLine, ratio, type EvalItem, type Outcome, type Scores } from '../src/evaluation/score.js';
import { createLogger } from '../src/logger.js';
import { ALL_ANALYSIS, type AnalysisOptions } from '../src/retrieval/analyze.js';
import { SIGNALS, weightsFromSpec } from '../src/retrieval/ranking/weights.js';
import type { SearchOptions } from '../src/retrieval/search.js';
import { createAssistant } from '../src/app.js';

interface Run {
  scores: Scores;
  firstCited: Map<EvalItem, string>;
  /** Answers the model wrote, and the slowest question (ms). */
  generated: number;
  slowestMs: number;
}

async function run(assistant: Assistant, items: EvalItem[], search: SearchOptions): Promise<Run> {
  const outcomes: Outcome[] = [];
  const firstCited = new Map<EvalItem, string>();
  let generated = 0;
  let slowestMs = 0;
  for (const item of items) {
    const started = Date.now();
    const r = await assistant.ask(item.question, { search });
    slowestMs = Math.max(slowestMs, Date.now() - started);
    if (r.usedLlm) generated++;
    outcomes.push({ item, outOfScope: r.outOfScope, texts: r.citations.map((c) => c.text) });
    const top = r.citations[0];
    firstCited.set(item, top ? `${top.title}${top.page ? ` P.${top.page}` : ''}` : 'なし');
  }
  return { scores: score(outcomes), firstCited, generated, slowestMs };
}

function row(name: string, s: Scores, base?: Scores): string {
  const delta = (x: number, y: number | undefined, n: number): string => (y === undefined ? '' : ` (${x - y >= 0 ? '+' : ''}${((x - y) / Math.max(1, n)).toFixed(3)})`);
  return [
    name.padEnd(24),
    `hit@1 ${ratio(s.hitAt[1], s.answerable)}${delta(s.hitAt[1], base?.hitAt[1], s.answerable)}`.padEnd(24),
    `hit@5 ${ratio(s.hitAt[5], s.answerable)}${delta(s.hitAt[5], base?.hitAt[5], s.answerable)}`.padEnd(24),
    `MRR@5 ${ratio(s.mrr, s.answerable)}${delta(s.mrr, base?.mrr, s.answerable)}`.padEnd(24),
    `誤って範囲外 ${s.fp}  範囲外の見逃し ${s.fn}`,
  ].join(' ');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--set');
  if (!file) {
    console.error('使い方: npm run eval -- 質問ファイル.jsonl [--ablate] [--set 名前=値,…] [--llm]');
    process.exitCode = 2;
    return;
  }
  const items = readEvalFile(file);
  const withModel = await createAssistant(loadConfig(), createLogger('warn'));
  // changes to the weights this index ranks with (those of its embedder)
  const weights = weightsFromSpec(args.includes('--set') ? args[args.indexOf('--set') + 1] : undefined, withModel.index.search.weights);
  if (args.includes('--llm')) {
    if (!withModel.llmStatus()) {
      console.error('--llm には OPENAI_API_KEY（と、ローカルのモデルなら OPENAI_BASE_URL）の設定が必要です');
      process.exitCode = 2;
      return;
    }
    await compareWithModel(withModel, items, { weights });
    return;
  }
  // the offline path, even when a model is configured
  const assistant = new Assistant(withModel.index);
  const started = Date.now();
  const { scores: s, firstCited } = await run(assistant, items, { weights });
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
  if (!args.includes('--ablate')) return;
  console.log('\nアブレーション（1つずつ外したとき。括弧内は基準との差）:');
  console.log(row('基準（すべて使用）', s));
  const rows: [string, SearchOptions][] = [
    ...SIGNALS.map((name): [string, SearchOptions] => [`信号 ${name} = 0`, { weights: { ...weights, [name]: 0 } }]),
    ...(['glossary', 'synonyms', 'typos'] as (keyof AnalysisOptions)[]).map((name): [string, SearchOptions] => [`解析 ${name} なし`, { weights, analysis: { ...ALL_ANALYSIS, [name]: false } }]),
  ];
  for (const [name, options] of rows) console.log(row(name, (await run(assistant, items, options)).scores, s));
}

/** The offline row and the model's row on the same questions, and what the model adds. */
async function compareWithModel(withModel: Assistant, items: EvalItem[], search: SearchOptions): Promise<void> {
  const status = withModel.llmStatus()!;
  console.log(`モデル: ${status.model}（${status.host}）、回答: ${withModel.answersLabel()}`);
  const offline = await run(new Assistant(withModel.index), items, search);
  const started = Date.now();
  const llm = await run(withModel, items, search);
  const ms = Date.now() - started;
  console.log(row('オフライン', offline.scores));
  console.log(row('LLM（並べ替え＋生成）', llm.scores, offline.scores));
  console.log(`生成した回答 ${llm.generated}/${items.length} 件、1問あたり平均 ${Math.round(ms / Math.max(1, items.length))} ms、最長 ${llm.slowestMs} ms`);
  const after = withModel.llmStatus()!;
  if (after.lastFailure) console.log(`最後の失敗: ${after.lastFailure.kind}（回路: ${after.breaker}）`);
}

main().catch((error: unknown) => {
  console.error(`エラー: ${(error as Error).message}`);
  process.exitCode = 1;
});
