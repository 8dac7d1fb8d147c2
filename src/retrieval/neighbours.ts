/**
 * Question neighbours: how close a question comes to questions known to be answerable (the
 * question variants and the in-scope calibration questions) and to questions known not to be
 * (the out-of-scope calibration questions). A question about Excel formulas or an annual leave
 * sits next to other questions about office software or leave, even when it shares words with
 * the documents (会議, 資料, 研修); a fair question in everyday words sits next to variants. The
 * scope model (scope.ts) reads both similarities as features; a nearest-neighbour view of labelled
 * examples is the usual complement to lexical signals in out-of-domain detection.
 *
 * Similarity is the cosine of TF-IDF vectors over character bigrams and words (the tokenisers of
 * the search), averaged over the NEIGHBOURS closest examples of each side, so one lucky match does
 * not decide. Calibration examples carry their sample number, so the calibration can leave out a
 * question's own fold when it measures (calibration.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigramTokens, textWords } from './tokenize.js';

/** How many of the closest examples of a side are averaged. */
export const NEIGHBOURS = 3;
/**
 * How many of the closest examples, of either side, vote. The vote (the out-of-scope share of
 * their similarity) reads the neighbourhood, not only its nearest edge: with it the scope model's
 * cross-validated log loss went 0.096 -> 0.073 and, at 4 answerable questions refused of 1,615,
 * 75% -> 88% of the others refused (20: 83%, 50: 87%, 200: 85%).
 */
export const VOTERS = 100;

export interface NeighbourExamples {
  /** Answerable questions that are not calibration samples (the question variants). */
  answerable: string[];
  /** The calibration questions, in the calibration's sample order: in-scope, then out-of-scope. */
  inScope: string[];
  outOfScope: string[];
}

/** How many examples of each kind, in example order (the texts are not needed once indexed). */
export interface NeighbourCounts {
  answerable: number;
  inScope: number;
  outOfScope: number;
}

/**
 * The inverted index built from the examples: each term, its idf, and the examples holding it
 * with its weight there, as flat typed arrays (term i's postings are offsets[i]..offsets[i+1]).
 * Saved as a small JSON and a binary file, so loading needs no segmenter and little parsing.
 */
export interface NeighbourSnapshot {
  counts: NeighbourCounts;
  terms: string[];
  idf: number[];
  offsets: Int32Array;
  examples: Int32Array;
  weights: Float32Array;
}

export interface Nearness {
  /** Mean cosine of the closest answerable examples (0..1). */
  answerable: number;
  /** Mean cosine of the closest out-of-scope examples (0..1). */
  unanswerable: number;
  /** Share of the similarity of the VOTERS closest examples that is out-of-scope (0..1). */
  vote: number;
}

/** A question's terms and their counts: character bigrams and dictionary words (also the question classifier's features). */
export function questionTerms(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of [...bigramTokens(text), ...textWords(text).words.map((w) => `w:${w}`)]) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** A question, or its terms already counted (the search counts them once for the neighbours and the wording classifier). */
export type QuestionInput = string | ReadonlyMap<string, number>;

export function termsOf(question: QuestionInput): ReadonlyMap<string, number> {
  return typeof question === 'string' ? questionTerms(question) : question;
}

export class QuestionNeighbours {
  private readonly termIds: Map<string, number>;

  private constructor(private readonly saved: NeighbourSnapshot) {
    this.termIds = new Map(saved.terms.map((t, i) => [t, i]));
  }

  snapshot(): NeighbourSnapshot {
    return this.saved;
  }

  static build(source: NeighbourExamples): QuestionNeighbours {
    const texts = [...source.answerable, ...source.inScope, ...source.outOfScope];
    const termIds = new Map<string, number>();
    const df: number[] = [];
    const docs = texts.map((text) =>
      [...questionTerms(text)].map(([t, c]) => {
        let id = termIds.get(t);
        if (id === undefined) termIds.set(t, (id = df.push(0) - 1));
        df[id]!++;
        return [id, c] as const;
      }),
    );
    const idf = df.map((n) => Math.log(docs.length / n));
    const postings = df.map((): [number[], number[]] => [[], []]);
    docs.forEach((doc, i) => {
      for (const [id, w] of normalised(doc.map(([t, c]) => [t, (1 + Math.log(c)) * idf[t]!]))) {
        postings[id]![0].push(i);
        postings[id]![1].push(w);
      }
    });
    const offsets = new Int32Array(df.length + 1);
    postings.forEach(([ex], i) => (offsets[i + 1] = offsets[i]! + ex.length));
    return new QuestionNeighbours({
      counts: { answerable: source.answerable.length, inScope: source.inScope.length, outOfScope: source.outOfScope.length },
      terms: [...termIds.keys()],
      idf,
      offsets,
      examples: Int32Array.from(postings.flatMap(([ex]) => ex)),
      weights: Float32Array.from(postings.flatMap(([, w]) => w)),
    });
  }

  static fromSnapshot(snapshot: NeighbourSnapshot): QuestionNeighbours {
    return new QuestionNeighbours(snapshot);
  }

  /**
   * How near the question comes to each side. `leaveOut(sample)` drops calibration examples
   * (the calibration's cross-validation leaves out the question's own fold); calibration sample
   * numbers run over the in-scope questions, then the out-of-scope ones.
   */
  nearness(question: QuestionInput, leaveOut: (sample: number) => boolean = () => false): Nearness {
    const { counts, idf, offsets, examples, weights } = this.saved;
    // terms no example holds match nothing and are dropped, as their idf would be undefined
    const known = [...termsOf(question)].flatMap(([t, c]) => {
      const id = this.termIds.get(t);
      return id === undefined ? [] : [[id, (1 + Math.log(c)) * idf[id]!] as [number, number]];
    });
    const dots = new Map<number, number>();
    for (const [id, w] of normalised(known)) {
      for (let k = offsets[id]!; k < offsets[id + 1]!; k++) dots.set(examples[k]!, (dots.get(examples[k]!) ?? 0) + w * weights[k]!);
    }
    const similarity: number[] = [];
    const outOfScope: boolean[] = [];
    const firstSample = counts.answerable;
    const firstOut = counts.answerable + counts.inScope;
    for (const [i, d] of dots) {
      if (i >= firstSample && leaveOut(i - firstSample)) continue;
      similarity.push(d);
      outOfScope.push(i >= firstOut);
    }
    return closest(similarity, outOfScope);
  }
}

/**
 * One walk down the matching examples, closest first: the mean of each side's NEIGHBOURS closest,
 * and the out-of-scope share of the VOTERS closest. The order is sorted as a typed array of
 * indexes (a question matches thousands of examples; sorting an object per example held the
 * serving process about 100 MB higher).
 */
function closest(similarity: readonly number[], outOfScope: readonly boolean[]): Nearness {
  const order = Uint32Array.from(similarity.keys()).sort((a, b) => similarity[b]! - similarity[a]!);
  const sums = [0, 0];
  const taken = [0, 0];
  let voted = 0;
  let votedOut = 0;
  order.forEach((k, rank) => {
    const side = outOfScope[k] ? 1 : 0;
    if (taken[side]! < NEIGHBOURS) {
      sums[side]! += similarity[k]!;
      taken[side]!++;
    }
    if (rank < VOTERS) {
      voted += similarity[k]!;
      if (side) votedOut += similarity[k]!;
    }
  });
  return { answerable: sums[0]! / NEIGHBOURS, unanswerable: sums[1]! / NEIGHBOURS, vote: voted > 0 ? votedOut / voted : 0 };
}

/** Writes the snapshot as neighbours.json (counts, terms, idf) and neighbours.bin (the postings). */
export function saveNeighbours(dir: string, s: NeighbourSnapshot): void {
  writeFileSync(join(dir, 'neighbours.json'), JSON.stringify({ counts: s.counts, terms: s.terms, idf: s.idf }));
  writeFileSync(join(dir, 'neighbours.bin'), Buffer.concat([Buffer.from(s.offsets.buffer, s.offsets.byteOffset, s.offsets.byteLength), Buffer.from(s.examples.buffer, s.examples.byteOffset, s.examples.byteLength), Buffer.from(s.weights.buffer, s.weights.byteOffset, s.weights.byteLength)]));
}

export function readNeighbours(dir: string): QuestionNeighbours {
  const head = JSON.parse(readFileSync(join(dir, 'neighbours.json'), 'utf8')) as Pick<NeighbourSnapshot, 'counts' | 'terms' | 'idf'>;
  const bin = readFileSync(join(dir, 'neighbours.bin'));
  // copied into aligned buffers: a Buffer from readFileSync may start at any byte of a shared pool
  const offsets = new Int32Array(new Uint8Array(bin.subarray(0, 4 * (head.terms.length + 1))).buffer);
  const n = offsets[head.terms.length]!;
  const at = offsets.byteLength;
  const examples = new Int32Array(new Uint8Array(bin.subarray(at, at + 4 * n)).buffer);
  const weights = new Float32Array(new Uint8Array(bin.subarray(at + 4 * n, at + 8 * n)).buffer);
  return QuestionNeighbours.fromSnapshot({ ...head, offsets, examples, weights });
}

/** (1 + log tf) × idf weights, L2-normalised; zero weights (a term in every example) dropped. */
function normalised(weights: (readonly [number, number])[]): [number, number][] {
  const kept = weights.filter(([, w]) => w > 0);
  const norm = Math.sqrt(kept.reduce((s, [, w]) => s + w * w, 0)) || 1;
  return kept.map(([t, w]) => [t, w / norm]);
}

