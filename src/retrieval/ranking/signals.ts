/**
 * Candidates and their signals. Every passage that any field matches is a candidate (the corpus is
 * a few hundred passages, so nothing is cut early), and each gets the signals below, scaled so
 * that the fusion's weights compare like with like.
 *
 * | signal          | what it measures                                                        | range   |
 * |-----------------|-------------------------------------------------------------------------|---------|
 * | text            | BM25 (words + bigrams) over the passage with its headings, / best       | 0..1    |
 * | coverage        | IDF share of the question's words the passage (with headings) contains   | 0..1    |
 * | variants        | BM25 of the passage's best-matching question variant, / best            | 0..1    |
 * | dense           | cosine similarity of the dense embeddings, / best                       | 0..1    |
 * | proximity       | IDF share of the question's words its best single sentence contains     | 0..1    |
 * | body            | BM25 over the passage body alone (no shared headings), / best           | 0..1    |
 * | reference       | the question names its Q&A, step or page (1), a sub-step (0.5), another step (-0.5) | -0.5..1 |
 * | prior           | how answer-shaped its kind is (structure.ts KIND_PRIOR)                 | 0..1    |
 * | definition      | the question asks what a term means and this passage defines it          | 0 or 1  |
 * | learned         | the question classifier's probability for it, / best (question-classifier.ts) | 0..1 |
 */
import type { Passage } from '../../knowledge/passage.js';
import type { AnalyzedQuery } from '../analyze.js';
import type { PassageMeta } from '../enrich.js';
import type { SearchFields } from '../search.js';
import { structureSignals, type ExplicitRefs } from '../structure.js';
import type { Candidate } from './fuse.js';

export interface DenseMatch {
  index: number;
  similarity: number;
}

export interface SignalInputs {
  fields: SearchFields;
  passages: readonly Passage[];
  metas: readonly PassageMeta[];
  analyzed: AnalyzedQuery;
  refs: ExplicitRefs;
  dense: readonly DenseMatch[];
  /** Passages that define a term the question asks about. */
  defined: ReadonlySet<number>;
  /** Each passage's probability from the question classifier (question-classifier.ts), when there is one. */
  learned?: Float64Array;
  /** The BM25 scores of the text and variant fields, when the caller already has them. */
  raw?: { text: Map<number, number>; variants: Map<number, number> };
}

/** Scales a sparse score map so its best value is 1. */
function scaled(scores: Map<number, number>): (i: number) => number {
  const max = Math.max(0, ...scores.values());
  return (i) => (max > 0 ? (scores.get(i) ?? 0) / max : 0);
}

/** The classifier's LEARNED_CANDIDATES most probable passages join the candidates. */
const LEARNED_CANDIDATES = 10;

function topLearned(learned: Float64Array | undefined): number[] {
  if (!learned) return [];
  return Array.from(learned.keys()).sort((a, b) => learned[b]! - learned[a]!).slice(0, LEARNED_CANDIDATES);
}

export function computeSignals(input: SignalInputs): Candidate[] {
  const { fields, analyzed: q } = input;
  const text = input.raw?.text ?? fields.text.score(q);
  const variants = input.raw?.variants ?? fields.variants.scores(q);
  const body = fields.bodies.score(q);
  const denseSim = new Map(input.dense.map((d) => [d.index, Math.max(0, d.similarity)]));
  const learned = input.learned;
  const learnedMax = learned ? Math.max(...learned) : 0;
  const indexes = new Set([...text.keys(), ...variants.keys(), ...denseSim.keys(), ...input.defined, ...topLearned(learned)]);
  const textOf = scaled(text);
  const variantOf = scaled(variants);
  const bodyOf = scaled(body);
  const denseOf = scaled(denseSim);
  // the measure is worked out once per question and applied to every passage and sentence
  const coverage = fields.text.coverageMeasure(q);
  const words = fields.text.words;
  return [...indexes].map((index) => ({
    index,
    score: 0,
    signals: {
      text: textOf(index),
      coverage: coverage((t) => words.contains(t, index)),
      variants: variantOf(index),
      dense: denseOf(index),
      proximity: fields.sentences.best(index, coverage),
      body: bodyOf(index),
      ...structureSignals(input.passages[index]!, input.metas[index], input.refs),
      definition: input.defined.has(index) ? 1 : 0,
      learned: learned && learnedMax > 0 ? learned[index]! / learnedMax : 0,
    },
  }));
}
