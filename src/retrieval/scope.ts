/**
 * The out-of-scope decision: does the knowledge base answer this question at all?
 *
 * A fixed score threshold does not work (BM25 scores depend on the length and wording of the
 * question), so the decision is a small logistic regression over features that do carry the
 * signal — how many of the question's nouns the documents never use, how much of the question
 * the best passages cover, and how strong the best match is — fitted at ingest on a labelled
 * calibration set (knowledge/calibration: questions the documents answer and questions they do
 * not). A prefecture that adds documents or calibration questions gets a refitted model.
 */
import { normalizeForMatch } from '../knowledge/normalize.js';
import type { SearchResult } from './search.js';

export interface ScopeFeatures {
  unknownNounRatio: number;
  noKnownNoun: number;
  coverage: number;
  strength: number;
  offTopicCues: number;
}

export const FEATURE_NAMES: (keyof ScopeFeatures)[] = ['unknownNounRatio', 'noKnownNoun', 'coverage', 'strength', 'offTopicCues'];

/** Counts the off-topic cue words (knowledge/data/off-topic.json) in a question. */
export function countOffTopicCues(query: string, cues: readonly string[]): number {
  const q = normalizeForMatch(query);
  return cues.filter((c) => q.includes(normalizeForMatch(c))).length;
}

export function scopeFeatures(result: SearchResult, offTopicCues = 0): ScopeFeatures {
  const a = result.analyzed;
  const top = result.hits[0];
  const nouns = a.nouns.length;
  return {
    unknownNounRatio: nouns ? a.unknownNouns.length / nouns : 0.5,
    noKnownNoun: nouns > 0 && a.unknownNouns.length === nouns ? 1 : 0,
    coverage: Math.max(0, ...result.hits.slice(0, 5).map((h) => h.nounCoverage)),
    strength: top ? Math.log(1 + top.lexical / Math.max(1, a.wordCount)) : 0,
    offTopicCues: Math.min(2, offTopicCues),
  };
}

export interface ScopeModel {
  version: 1;
  /** Feature means and standard deviations used to standardise inputs. */
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
  /** Probability of out-of-scope above which the bot says the documents do not answer. */
  threshold: number;
  /** Training figures, for the ingest report. */
  fit: { samples: number; accuracy: number; precision: number; recall: number };
}

function vector(f: ScopeFeatures): number[] {
  return FEATURE_NAMES.map((n) => f[n]);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Probability that the question is out of scope. */
export function outOfScopeProbability(model: ScopeModel, f: ScopeFeatures): number {
  const x = vector(f).map((v, i) => (v - model.mean[i]!) / (model.std[i]! || 1));
  return sigmoid(model.bias + x.reduce((s, v, i) => s + v * model.weights[i]!, 0));
}

/**
 * Fits L2-regularised logistic regression by gradient descent. `samples` pairs features with
 * the label (true = out of scope). Deterministic: same data, same model.
 */
export function fitScopeModel(samples: { features: ScopeFeatures; outOfScope: boolean }[], l2 = 0.05, iterations = 4000): ScopeModel {
  const xs = samples.map((s) => vector(s.features));
  const ys = samples.map((s) => (s.outOfScope ? 1 : 0));
  const d = FEATURE_NAMES.length;
  const mean = Array.from({ length: d }, (_, j) => xs.reduce((s, x) => s + x[j]!, 0) / xs.length);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(xs.reduce((s, x) => s + (x[j]! - mean[j]!) ** 2, 0) / xs.length) || 1);
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]!) / std[j]!));
  // balance the classes so the threshold 0.5 means "as likely one as the other"
  const pos = ys.filter(Boolean).length;
  const neg = ys.length - pos;
  const sw = ys.map((y) => (y ? ys.length / (2 * Math.max(1, pos)) : ys.length / (2 * Math.max(1, neg))));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const rate = 0.5;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    z.forEach((x, i) => {
      const p = sigmoid(b + x.reduce((s, v, j) => s + v * w[j]!, 0));
      const e = (p - ys[i]!) * sw[i]!;
      gb += e;
      x.forEach((v, j) => (gw[j]! += e * v));
    });
    for (let j = 0; j < d; j++) w[j]! -= rate * (gw[j]! / z.length + l2 * w[j]!);
    b -= (rate * gb) / z.length;
  }
  const model: ScopeModel = { version: 1, mean, std, weights: w, bias: b, threshold: 0.5, fit: { samples: samples.length, accuracy: 0, precision: 0, recall: 0 } };
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  samples.forEach((s) => {
    const predicted = outOfScopeProbability(model, s.features) >= model.threshold;
    if (predicted === s.outOfScope) correct++;
    if (predicted && s.outOfScope) tp++;
    if (predicted && !s.outOfScope) fp++;
    if (!predicted && s.outOfScope) fn++;
  });
  model.fit = { samples: samples.length, accuracy: correct / samples.length, precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn) };
  return model;
}
