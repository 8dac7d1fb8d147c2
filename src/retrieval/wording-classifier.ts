/**
 * How much a question is worded like the out-of-scope examples rather than the answerable ones: a
 * binary logistic regression over the same terms as the question neighbours (character bigrams and
 * dictionary words, TF-IDF, L2-normalised), trained at ingest on the labelled questions of
 * neighbours.ts (question variants, answerable examples and in-scope calibration questions against
 * the out-of-scope ones). Its logit is a feature of the scope model (scope.ts).
 *
 * The neighbours' vote reads the closest examples, and answerable examples outnumber the others
 * fourteen to one: a question about printers or birthday presents still finds its hundred nearest
 * mostly among the answerable ones, which share its 「どうすれば」 and 「How do I」. A linear model
 * weighs every term by how well it separates the two sides over all examples, so 印刷, 誕生日 or
 * 上司 count against scope and 方法 or コツ do not: the usual complement of a nearest-neighbour
 * view in out-of-domain detection. The classes are weighted equally (an out-of-scope example counts
 * as many times as answerable ones outnumber them), the standard choice for a rare class.
 *
 * Measured on the calibration (scope model with the feature added, 5-fold, the feature itself
 * trained without the fold's calibration questions): log loss 0.0814 -> 0.0685, out-of-scope
 * questions refused at 6 answerable ones refused 81.3% -> 85.0%. With folds of consecutive
 * questions instead of interleaved ones (the calibration was written topic by topic, so this is
 * the harder test: a topic is seldom in both training and held-out folds) 0.1023 -> 0.0856 and
 * 79.2% -> 79.0%, at 3 answerable refused 73.3% -> 76.4%, at 12 83.6% -> 87.3%. Weighting the
 * out-of-scope side a quarter or half of that, or not at all, measured within 0.002 of log loss.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { questionTerms, termsOf, type NeighbourExamples, type QuestionInput } from './neighbours.js';

/** A term must occur in this many examples to get a weight. */
const MIN_DF = 2;
/** Passes over the examples, with the step shrinking as 1 / (1 + DECAY · epoch). */
const EPOCHS = 15;
const RATE = 0.5;
const DECAY = 0.3;
/** L2 shrinkage per step, relative to the rate. */
const L2 = 1e-5;

const ModelSchema = z.object({ version: z.literal(2), bias: z.number(), terms: z.array(z.string()), idf: z.array(z.number()), weights: z.array(z.number()) });
/** Each term with its idf and weight, in three lists of the same order (parsed faster than a tuple per term). */
export type WordingModel = z.infer<typeof ModelSchema>;

export class WordingClassifier {
  private readonly rows: Map<string, number>;

  constructor(readonly model: WordingModel) {
    this.rows = new Map(model.terms.map((t, i) => [t, i]));
  }

  /** The log-odds that the question is worded like the out-of-scope examples (0 when no term of it is known). */
  logit(question: QuestionInput): number {
    const { idf, weights, bias } = this.model;
    let dot = 0;
    let norm = 0;
    for (const [t, c] of termsOf(question)) {
      const row = this.rows.get(t);
      if (row === undefined) continue;
      const x = (1 + Math.log(c)) * idf[row]!;
      dot += x * weights[row]!;
      norm += x * x;
    }
    return norm ? bias + dot / Math.sqrt(norm) : 0;
  }
}

/**
 * The examples' terms, counted once: the model for the index and one per calibration fold (each
 * without that fold's calibration questions) are trained from the same counts.
 */
export class WordingExamples {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Example i's terms are terms[termOf[offsets[i]..offsets[i+1]]], with their counts. */
  private readonly offsets: Int32Array;
  private readonly termOf: Int32Array;
  private readonly counts: Float32Array;
  private readonly outOfScope: Uint8Array;
  /** Calibration sample number of each example (-1 for the others), as neighbours.ts numbers them. */
  private readonly sample: Int32Array;

  constructor(source: NeighbourExamples) {
    const texts = [...source.answerable, ...source.inScope, ...source.outOfScope];
    const termOf: number[] = [];
    const counts: number[] = [];
    this.offsets = new Int32Array(texts.length + 1);
    texts.forEach((text, i) => {
      for (const [t, c] of questionTerms(text)) {
        let id = this.ids.get(t);
        if (id === undefined) this.ids.set(t, (id = this.terms.push(t) - 1));
        termOf.push(id);
        counts.push(c);
      }
      this.offsets[i + 1] = termOf.length;
    });
    this.termOf = Int32Array.from(termOf);
    this.counts = Float32Array.from(counts);
    const firstSample = source.answerable.length;
    const firstOut = firstSample + source.inScope.length;
    this.outOfScope = Uint8Array.from(texts, (_, i) => (i >= firstOut ? 1 : 0));
    this.sample = Int32Array.from(texts, (_, i) => (i >= firstSample ? i - firstSample : -1));
  }

  /** Trains on every example but the calibration samples `leaveOut` drops. */
  train(leaveOut: (sample: number) => boolean = () => false): WordingClassifier {
    const used = Array.from(this.sample.keys()).filter((i) => this.sample[i]! < 0 || !leaveOut(this.sample[i]!));
    const df = new Int32Array(this.terms.length);
    for (const i of used) for (let k = this.offsets[i]!; k < this.offsets[i + 1]!; k++) df[this.termOf[k]!]!++;
    const idf = Float64Array.from(df, (n) => (n >= MIN_DF ? Math.log(used.length / n) : 0));
    // features: (1 + log tf) × idf over the kept terms, L2-normalised, in flat arrays
    const at = new Int32Array(used.length + 1);
    const rows: number[] = [];
    const values: number[] = [];
    used.forEach((i, u) => {
      const from = rows.length;
      let norm = 0;
      for (let k = this.offsets[i]!; k < this.offsets[i + 1]!; k++) {
        const t = this.termOf[k]!;
        if (!idf[t]) continue;
        const x = (1 + Math.log(this.counts[k]!)) * idf[t]!;
        rows.push(t);
        values.push(x);
        norm += x * x;
      }
      norm = Math.sqrt(norm) || 1;
      for (let k = from; k < values.length; k++) values[k]! /= norm;
      at[u + 1] = rows.length;
    });
    const out = used.filter((i) => this.outOfScope[i]).length;
    // equal weight for the two classes: an out-of-scope example counts (answerable / out-of-scope) times
    const outWeight = out ? (used.length - out) / out : 1;
    const w = new Float64Array(this.terms.length);
    let bias = 0;
    const order = Array.from(used.keys());
    let seed = 7;
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      // a fixed shuffle per epoch (LCG), so two builds of the same knowledge give the same model
      for (let i = order.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const j = seed % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const rate = RATE / (1 + DECAY * epoch);
      const shrink = 1 - rate * L2;
      for (const u of order) {
        let z = bias;
        for (let k = at[u]!; k < at[u + 1]!; k++) z += w[rows[k]!]! * values[k]!;
        const y = this.outOfScope[used[u]!]!;
        const g = (1 / (1 + Math.exp(-z)) - y) * (y ? outWeight : 1);
        bias -= rate * g;
        for (let k = at[u]!; k < at[u + 1]!; k++) w[rows[k]!] = w[rows[k]!]! * shrink - rate * g * values[k]!;
      }
    }
    const kept = Array.from(this.terms.keys()).filter((i) => idf[i] && w[i]);
    return new WordingClassifier({ version: 2, bias, terms: kept.map((i) => this.terms[i]!), idf: kept.map((i) => round(idf[i]!)), weights: kept.map((i) => round(w[i]!)) });
  }
}

/** Six significant digits: the saved model is a third of the size and scores the same to 1e-5. */
function round(x: number): number {
  return Number(x.toPrecision(6));
}

export function saveWording(dir: string, model: WordingModel): void {
  writeFileSync(join(dir, 'wording.json'), JSON.stringify(model));
}

export function readWording(dir: string): WordingClassifier {
  return new WordingClassifier(ModelSchema.parse(JSON.parse(readFileSync(join(dir, 'wording.json'), 'utf8'))));
}
