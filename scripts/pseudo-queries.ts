/**
 * `npm run pseudo-queries -- [--folds K] [--set name=value,…] [--ablate] [--fit]`: a retrieval
 * evaluation on questions nobody wrote for an evaluation set, derived from our own knowledge.
 *
 * The question variants (knowledge/data/questions.json) are held out K-fold (K = 5): for fold k,
 * every passage's variants at positions ≡ k (mod K) leave the knowledge, everything derived from
 * the variants is rebuilt without them (the variant field, the LSA model and the dense vectors,
 * which are trained on the passages with their variants), and each held-out variant is asked as a
 * question whose gold is its own passage. It is a hit when that passage, or a passage repeating
 * it (ranking/distinct.ts), is in the top k. The held-out question is new to the index, as a user's
 * question is; its passage keeps its other variants, as every passage does for a user.
 *
 * Prints hit@1, hit@5 and MRR@5 over all pseudo-queries and per passage kind. Each question's
 * candidates and signals are computed once; every weighting is then a re-ranking of the same
 * candidates (HybridSearch.rank), so the fit and the ablation cost seconds.
 *
 * --set    weights for this run (as `npm run eval -- --set`).
 * --ablate each signal switched off in turn (with --with files, also
 *          their change in questions at hit@1/hit@5).
 * --with   FILE (repeatable): also score an evaluation file's answerable questions on the whole
 *          index, ranking only (`npm run eval` adds the out-of-scope decision); with --fit, a move
 *          must keep each such file within --slack questions (default 1) of its start. Never pass
 *          a gate set (dev-2-check): it must not choose between weights.
 * --fix    weights the fit leaves as given (e.g. --fix prior,definition).
 * --fit    coordinate ascent on MRR@5 over a small grid per weight, from the given weights, with
 *          `variants` fixed at 1 (the fused score's scale is free: only ratios matter); a move is
 *          taken only when it gains at least MIN_GAIN questions' worth of reciprocal rank, and
 *          rounds repeat until none does. Prints the chosen weights as a --set line.
 */
import { basename } from 'node:path';
import { loadConfig } from '../src/config.js';
import { goldRank as evalGoldRank, isOutOfScopeItem, readEvalFile } from '../src/evaluation/score.js';
import type { KnowledgeBase } from '../src/knowledge/load.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { LsaEmbeddings } from '../src/retrieval/embedders/lsa.js';
import { answeredBy, readCalibration } from '../src/retrieval/calibration.js';
import { denseTexts, trainClassifier } from '../src/retrieval/index-store.js';
import type { Candidate } from '../src/retrieval/ranking/fuse.js';
import { DEFAULT_WEIGHTS, SIGNALS, weightsFromSpec, type RankingWeights } from '../src/retrieval/ranking/weights.js';
import { buildFields, buildVariantField, HybridSearch, searchablePassages, type SearchFields } from '../src/retrieval/search.js';
import { compileSynonyms, SynonymDictionary } from '../src/retrieval/synonyms.js';
import { VectorIndex } from '../src/retrieval/vector-index.js';

const DEFAULT_FOLDS = 5;
/** The grid each weight is tried on. */
const GRID = [0, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3];
/** A move must gain this many questions' worth of reciprocal rank (noise below that); --min-gain. */
const MIN_GAIN = 3;
const MAX_ROUNDS = 6;

interface PseudoQuery {
  question: string;
  /** The passage the variant was written for, or (for a question of a --with file) its gold phrases. */
  gold: number | string[];
  kind: string;
  search: HybridSearch;
  candidates: Candidate[];
}

/** The questions of a --with file, searched with the whole index (every variant in it). */
interface WithSet {
  file: string;
  queries: PseudoQuery[];
}

interface Figures {
  n: number;
  hit1: number;
  hit5: number;
  /** Sum of reciprocal ranks within the top five. */
  rr: number;
}

/** Builds fold k's search: the knowledge without its held-out variants, and those variants as questions. */
async function fold(kb: KnowledgeBase, base: SearchFields, examples: readonly { passage: string; question: string }[], k: number, folds: number): Promise<PseudoQuery[]> {
  const questions: Record<string, string[]> = {};
  const held: { id: string; question: string }[] = [];
  for (const [id, list] of Object.entries(kb.questions)) {
    questions[id] = list.filter((_, i) => i % folds !== k);
    list.forEach((question, i) => {
      if (i % folds === k) held.push({ id, question });
    });
  }
  const kbFold: KnowledgeBase = { ...kb, questions };
  const fields: SearchFields = { ...base, variants: buildVariantField(kbFold), classifier: trainClassifier(kbFold, examples) };
  const texts = denseTexts(kbFold, examples);
  const lsa = LsaEmbeddings.train(texts);
  const search = new HybridSearch(kbFold, fields, await VectorIndex.build(lsa, texts));
  const position = new Map(search.passages.map((p, i) => [p.id, i]));
  const out: PseudoQuery[] = [];
  for (const { id, question } of held) {
    const gold = position.get(id);
    if (gold === undefined) continue;
    // the dense half runs whatever its weight later: the candidates are shared by every weighting
    const { candidates } = await search.candidates(question, { weights: { ...DEFAULT_WEIGHTS, dense: 1, learned: 1 } });
    out.push({ question, gold, kind: search.passages[gold]!.kind, search, candidates });
  }
  return out;
}

/**
 * 0-based rank of the gold passage (or a passage repeating it) in the top five; -1 if absent. For
 * a question of an evaluation file, of the first passage containing a gold phrase, as `npm run
 * eval` scores the citations (without its out-of-scope decision).
 */
function goldRank(q: PseudoQuery, weights: Readonly<RankingWeights>): number {
  // a search with the dense half off never sees the passages only it brought in
  const candidates = q.candidates.filter((c) => c.signals.text || c.signals.variants || c.signals.definition || (weights.dense && c.signals.dense) || (weights.learned && c.signals.learned));
  const top = q.search.rank(candidates, weights).slice(0, 5);
  const gold = q.gold;
  if (Array.isArray(gold)) return evalGoldRank(top.map((c) => q.search.passages[c.index]!.text), gold);
  const dup = q.search.duplicateOf;
  const same = (c: number): boolean => c === gold || dup[c] === gold || dup[gold] === c || (dup[c] !== undefined && dup[c] === dup[gold]);
  return top.findIndex((c) => same(c.index));
}

/** The questions of an evaluation file with gold phrases, for --with. */
async function withSet(file: string, search: HybridSearch): Promise<WithSet> {
  const queries: PseudoQuery[] = [];
  for (const item of readEvalFile(file)) {
    if (isOutOfScopeItem(item)) continue;
    const { candidates } = await search.candidates(item.question, { weights: { ...DEFAULT_WEIGHTS, dense: 1, learned: 1 } });
    queries.push({ question: item.question, gold: item.gold, kind: item.kind ?? '', search, candidates });
  }
  return { file, queries };
}

function evaluate(queries: readonly PseudoQuery[], weights: Readonly<RankingWeights>): { all: Figures; byKind: Map<string, Figures> } {
  const all: Figures = { n: 0, hit1: 0, hit5: 0, rr: 0 };
  const byKind = new Map<string, Figures>();
  for (const q of queries) {
    const rank = goldRank(q, weights);
    const kind = byKind.get(q.kind) ?? byKind.set(q.kind, { n: 0, hit1: 0, hit5: 0, rr: 0 }).get(q.kind)!;
    for (const f of [all, kind]) {
      f.n++;
      if (rank === 0) f.hit1++;
      if (rank >= 0) {
        f.hit5++;
        f.rr += 1 / (rank + 1);
      }
    }
  }
  return { all, byKind };
}

function line(name: string, f: Figures, base?: Figures): string {
  const r = (x: number): string => (x / Math.max(1, f.n)).toFixed(3);
  const d = (x: number, y: number | undefined): string => (y === undefined ? '' : ` (${x - y >= 0 ? '+' : ''}${((x - y) / Math.max(1, f.n)).toFixed(3)})`);
  return [name.padEnd(26), `n ${String(f.n).padStart(4)}`, `hit@1 ${r(f.hit1)}${d(f.hit1, base?.hit1)}`.padEnd(22), `hit@5 ${r(f.hit5)}${d(f.hit5, base?.hit5)}`.padEnd(22), `MRR@5 ${r(f.rr)}${d(f.rr, base?.rr)}`].join('  ');
}

function report(queries: readonly PseudoQuery[], weights: Readonly<RankingWeights>): Figures {
  const { all, byKind } = evaluate(queries, weights);
  console.log(line('すべて', all));
  for (const [kind, f] of [...byKind].sort((a, b) => b[1].n - a[1].n)) console.log(line(`  ${kind}`, f));
  // the English questions across kinds (about one variant in seven): the language the scope decision is weakest in
  const english = queries.filter((q) => !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(q.question));
  if (english.length) console.log(line('  (英語の質問)', evaluate(english, weights).all));
  return all;
}

function setLine(w: Readonly<RankingWeights>): string {
  return (Object.keys(w) as (keyof RankingWeights)[]).map((name) => `${name}=${w[name]}`).join(',');
}

/**
 * Coordinate ascent on the pseudo-queries' sum of reciprocal ranks, one weight at a time over its
 * grid. With --with files, a move is allowed only while each file keeps its hit@1, hit@5 and
 * reciprocal-rank sum within `slack` questions of where the fit started.
 */
function fit(queries: readonly PseudoQuery[], start: Readonly<RankingWeights>, fixed: ReadonlySet<string>, sets: readonly WithSet[], slack: number, minGain: number): RankingWeights {
  const w: RankingWeights = { ...start, variants: 1 };
  let best = evaluate(queries, w).all.rr;
  const floor = sets.map((s) => evaluate(s.queries, w).all);
  const allowed = (x: Readonly<RankingWeights>): boolean =>
    sets.every((s, i) => {
      const f = evaluate(s.queries, x).all;
      const b = floor[i]!;
      return f.hit1 >= b.hit1 - slack && f.hit5 >= b.hit5 - slack && f.rr >= b.rr - slack;
    });
  const names = ([...SIGNALS] as (keyof RankingWeights)[]).filter((s) => s !== 'variants' && !fixed.has(s));
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    let moved = false;
    for (const name of names) {
      let choice = w[name];
      let score = best;
      for (const value of GRID) {
        if (value === w[name]) continue;
        const x = { ...w, [name]: value };
        const s = evaluate(queries, x).all.rr;
        if (s >= score + minGain && allowed(x)) {
          score = s;
          choice = value;
        }
      }
      if (choice !== w[name]) {
        console.log(`  第${round}巡 ${name}: ${w[name]} → ${choice}  MRR@5 ${(best / queries.length).toFixed(4)} → ${(score / queries.length).toFixed(4)}`);
        w[name] = choice;
        best = score;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return w;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const folds = Number(option('--folds') ?? DEFAULT_FOLDS);
  if (!Number.isInteger(folds) || folds < 2) throw new Error('--folds は 2 以上の整数です');
  const weights = weightsFromSpec(option('--set'));
  const config = loadConfig();
  const started = Date.now();
  const kb = loadKnowledge({ dir: config.knowledgeDir, localDirs: config.localKnowledgeDirs });
  // the fields that do not depend on the variants are built once and shared by the folds
  const bare = buildFields(kb);
  const synonyms = new SynonymDictionary(compileSynonyms((w) => bare.text.words.has(w), (g) => bare.text.bigrams.has(g)));
  const base: SearchFields = { ...bare, synonyms };
  const queries: PseudoQuery[] = [];
  const examples = answeredBy(readCalibration(config.knowledgeDir), searchablePassages(kb));
  for (let k = 0; k < folds; k++) queries.push(...(await fold(kb, base, examples, k, folds)));
  const withFiles = args.filter((a, i) => args[i - 1] === '--with');
  const sets: WithSet[] = [];
  if (withFiles.length) {
    const texts = denseTexts(kb, examples);
    const lsa = LsaEmbeddings.train(texts);
    const whole = new HybridSearch(kb, { ...base, variants: buildVariantField(kb), classifier: trainClassifier(kb, examples) }, await VectorIndex.build(lsa, texts));
    for (const file of withFiles) sets.push(await withSet(file, whole));
  }
  const others = (w: Readonly<RankingWeights>): void => {
    for (const s of sets) console.log(line(basename(s.file), evaluate(s.queries, w).all));
  };
  console.log(`想定質問 ${queries.length} 件を ${folds} 分割で除外して質問に（${Object.keys(kb.questions).length} パッセージ）、${Date.now() - started} ms\n`);
  const baseline = report(queries, weights);
  others(weights);
  if (args.includes('--ablate')) {
    console.log('\nアブレーション（1つずつ外したとき。括弧内は基準との差）:');
    const before = sets.map((s) => evaluate(s.queries, weights).all);
    for (const name of SIGNALS) {
      const off = { ...weights, [name]: 0 };
      // each --with file's change, in questions at hit@1 and hit@5
      const elsewhere = sets.map((s, i) => {
        const f = evaluate(s.queries, off).all;
        const d = (x: number): string => `${x >= 0 ? '+' : ''}${x}`;
        return `${basename(s.file)} ${d(f.hit1 - before[i]!.hit1)}/${d(f.hit5 - before[i]!.hit5)}`;
      });
      console.log([line(`${name} = 0`, evaluate(queries, off).all, baseline), ...elsewhere].join('  '));
    }
  }
  if (args.includes('--fit')) {
    console.log('\n重みの当てはめ（座標上昇、MRR@5）:');
    const fixed = new Set((option('--fix') ?? '').split(',').filter(Boolean));
    const fitted = fit(queries, weights, fixed, sets, Number(option('--slack') ?? 1), Number(option('--min-gain') ?? MIN_GAIN));
    console.log('\n当てはめた重み:');
    report(queries, fitted);
    others(fitted);
    console.log(`\n--set ${setLine(fitted)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`エラー: ${(error as Error).message}`);
  process.exitCode = 1;
});
