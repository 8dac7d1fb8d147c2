/**
 * A question classifier: which passage answers a question, learnt from the questions known to be
 * answered by each passage (its question variants, the calibration's answerable examples written
 * for it and the in-scope questions whose gold it holds; calibration.ts answeredBy).
 *
 * The dense half compares a question with one vector per passage, the centroid of everything
 * written for it; the variant field compares it with one variant at a time. Neither weighs a word
 * by how well it tells one passage from the others among ~8,000 labelled questions. A multinomial
 * logistic regression over the same terms as the question neighbours (character bigrams and
 * dictionary words, TF-IDF, L2-normalised) does: the usual strong baseline for short-text
 * classification, trained in a few seconds at ingest by stochastic gradient descent, deterministic.
 *
 * The question text is classified as typed (no synonym expansion): the classifier learns the
 * everyday words themselves from the labelled questions. The weights are saved as float32, row
 * after row, so loading parses no numbers.
 *
 * Measured on the pseudo-queries (held-out variants, npm run pseudo-queries, the classifier
 * retrained per fold without them) with dev and dev-2-tune alongside: 12 passes 0.577 hit@1, 25
 * passes 0.580 at twice the training time (about 4 s → 8 s); L2 1e-4 the same as 1e-5; terms in
 * at least 2 questions 0.577 with 9.8 MB of weights, at least 3 0.576 with 7.6 MB (so 3: the
 * index's memory is within target by little). dev and dev-2-tune the same in each. A softmax over
 * the LSA vectors (128 features) instead reached 0.594 there, but dev stayed at 0.927 (this: 0.976)
 * and dev-2-tune lost a question, at about 30 s of training.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { questionTerms as termCounts } from './neighbours.js';

/** A term must occur in this many training questions to get weights (one question's term teaches nothing about the next). */
export const MIN_DF = 3;
/** Passes over the training questions, with the step shrinking as 1 / (1 + DECAY · epoch). */
export const EPOCHS = 12;
const RATE = 0.5;
const DECAY = 0.3;
/** L2 shrinkage per step, relative to the rate. */
const L2 = 1e-5;

export interface ClassifierModel {
  version: 1;
  classes: number;
  /** Term → idf, in the order of the weight rows. */
  terms: [string, number][];
  /** One row of `classes` weights per term, row after row. */
  weights: Float32Array;
  bias: Float32Array;
}

const HeaderSchema = z.object({ version: z.literal(1), classes: z.number().int().positive(), terms: z.array(z.tuple([z.string(), z.number()])) });

export interface LabelledQuestion {
  /** Index of the passage in the search's passage list. */
  passage: number;
  question: string;
  /**
   * Keep its terms however rare: a prefecture's own document has no question variants, only its
   * sentences standing in, and its names (みどり町) are in one or two of them, below MIN_DF.
   */
  keepTerms?: boolean;
}

/** (1 + log tf) × idf over the known terms, L2-normalised, as [row, value] pairs. */
function features(text: string, rowOf: (term: string) => [number, number] | undefined): [number, number][] {
  const out: [number, number][] = [];
  let norm = 0;
  for (const [t, c] of termCounts(text)) {
    const known = rowOf(t);
    if (!known) continue;
    const x = (1 + Math.log(c)) * known[1];
    out.push([known[0], x]);
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  return out.map(([r, x]) => [r, x / norm]);
}

/**
 * The questions, with those of a passage that has only stand-ins (keepTerms) repeated up to the
 * typical number of questions per passage (the median). A passage learnt from two sentences would
 * otherwise get a probability near zero for every question, its own included (a class seen twice
 * an epoch is barely learnt), and the signal would push a prefecture's own documents down.
 */
function withStandInsRepeated(labelled: readonly LabelledQuestion[]): readonly LabelledQuestion[] {
  const byPassage = new Map<number, LabelledQuestion[]>();
  for (const q of labelled) {
    const list = byPassage.get(q.passage);
    if (list) list.push(q);
    else byPassage.set(q.passage, [q]);
  }
  const counts = [...byPassage.values()].filter((list) => !list.every((q) => q.keepTerms)).map((list) => list.length).sort((a, b) => a - b);
  const typical = counts[Math.floor(counts.length / 2)] ?? 0;
  const extra: LabelledQuestion[] = [];
  for (const list of byPassage.values()) {
    if (!list.every((q) => q.keepTerms)) continue;
    for (let i = list.length; i < typical; i++) extra.push(list[i % list.length]!);
  }
  return [...labelled, ...extra];
}

export class QuestionClassifier {
  private readonly rows: Map<string, [number, number]>;

  constructor(readonly model: ClassifierModel) {
    this.rows = new Map(model.terms.map(([t, idf], i) => [t, [i, idf]]));
  }

  /** Learns the model; `classes` is the number of passages (a passage may have no question). */
  static train(labelled: readonly LabelledQuestion[], classes: number): QuestionClassifier {
    const questions = withStandInsRepeated(labelled);
    // the counts are taken twice (document frequency, then features) rather than kept: ~8,000
    // maps of a few dozen terms held the building process about 100 MB higher
    const df = new Map<string, number>();
    const kept = new Set<string>();
    // document frequencies over the questions as written, before the repetition
    for (const q of labelled) {
      for (const t of termCounts(q.question).keys()) {
        df.set(t, (df.get(t) ?? 0) + 1);
        if (q.keepTerms) kept.add(t);
      }
    }
    const terms = [...df].filter(([t, n]) => n >= MIN_DF || kept.has(t)).map(([t, n]): [string, number] => [t, Math.log(labelled.length / n)]);
    df.clear();
    const model: ClassifierModel = { version: 1, classes, terms, weights: new Float32Array(terms.length * classes), bias: new Float32Array(classes) };
    const classifier = new QuestionClassifier(model);
    // every question's features in two flat arrays: question i's are offsets[i]..offsets[i+1]
    const offsets = new Int32Array(questions.length + 1);
    const rowsOf: number[] = [];
    const valuesOf: number[] = [];
    questions.forEach((q, i) => {
      for (const [row, value] of features(q.question, (t) => classifier.rows.get(t))) {
        rowsOf.push(row);
        valuesOf.push(value);
      }
      offsets[i + 1] = rowsOf.length;
    });
    const rows = Int32Array.from(rowsOf);
    const values = Float64Array.from(valuesOf);
    const order = Array.from(questions.keys());
    const p = new Float64Array(classes);
    const { weights, bias } = model;
    let seed = 42;
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      // a fixed shuffle per epoch (LCG), so two builds of the same knowledge give the same model
      for (let i = order.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const j = seed % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const rate = RATE / (1 + DECAY * epoch);
      const shrink = 1 - rate * L2;
      for (const i of order) {
        classifier.softmax(rows, values, offsets[i]!, offsets[i + 1]!, p);
        p[questions[i]!.passage]! -= 1;
        for (let c = 0; c < classes; c++) bias[c]! -= rate * p[c]!;
        for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
          const at = rows[k]! * classes;
          const value = values[k]!;
          for (let c = 0; c < classes; c++) weights[at + c] = weights[at + c]! * shrink - rate * p[c]! * value;
        }
      }
    }
    return classifier;
  }

  /** The softmax over the passages for the features rows[from..to] / values[from..to], written into `out`. */
  private softmax(rows: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number, out: Float64Array): void {
    const { classes, weights, bias } = this.model;
    for (let c = 0; c < classes; c++) out[c] = bias[c]!;
    for (let k = from; k < to; k++) {
      const at = rows[k]! * classes;
      const value = values[k]!;
      for (let c = 0; c < classes; c++) out[c]! += weights[at + c]! * value;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, out[c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[c] = Math.exp(out[c]! - max);
    for (let c = 0; c < classes; c++) out[c]! /= sum;
  }

  /** Each passage's probability of answering the question (empty when no term of it is known). */
  scores(question: string): Float64Array | undefined {
    const x = features(question, (t) => this.rows.get(t));
    if (!x.length) return undefined;
    const out = new Float64Array(this.model.classes);
    this.softmax(x.map(([row]) => row), x.map(([, value]) => value), 0, x.length, out);
    return out;
  }
}

/** Saved as classifier.json (terms, idf) and classifier.f32 (the bias, then the weights). */
export function saveClassifier(dir: string, model: ClassifierModel): void {
  writeFileSync(join(dir, 'classifier.json'), JSON.stringify({ version: model.version, classes: model.classes, terms: model.terms }));
  const all = new Float32Array(model.bias.length + model.weights.length);
  all.set(model.bias);
  all.set(model.weights, model.bias.length);
  writeFileSync(join(dir, 'classifier.f32'), new Uint8Array(all.buffer));
}

export function readClassifier(dir: string): QuestionClassifier {
  const header = HeaderSchema.parse(JSON.parse(readFileSync(join(dir, 'classifier.json'), 'utf8')));
  const bytes = readFileSync(join(dir, 'classifier.f32'));
  const { classes } = header;
  if (bytes.byteLength !== (classes + header.terms.length * classes) * 4) throw new Error('classifier.f32 の大きさが classifier.json と合いません');
  // copied into an aligned buffer of its own (a Buffer from the pool may start at any byte offset)
  const all = new Float32Array(classes + header.terms.length * classes);
  new Uint8Array(all.buffer).set(bytes);
  return new QuestionClassifier({ ...header, bias: all.subarray(0, classes), weights: all.subarray(classes) });
}
