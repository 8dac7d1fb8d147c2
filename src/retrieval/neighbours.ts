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
import { bigramTokens, textWords } from './tokenize.js';

/** How many of the closest examples of a side are averaged. */
export const NEIGHBOURS = 3;

export interface NeighbourExamples {
  /** Answerable questions that are not calibration samples (the question variants). */
  answerable: string[];
  /** The calibration questions, in the calibration's sample order: in-scope, then out-of-scope. */
  inScope: string[];
  outOfScope: string[];
}

/**
 * What is saved with the index: the examples, and the inverted index built from them (each term,
 * its idf, and the examples holding it with its weight there), so loading needs no segmenter.
 */
export interface NeighbourSnapshot {
  examples: NeighbourExamples;
  terms: string[];
  idf: number[];
  /** Per term: the example numbers and the term's weight in each (parallel arrays). */
  postings: [number[], number[]][];
}

export interface Nearness {
  /** Mean cosine of the closest answerable examples (0..1). */
  answerable: number;
  /** Mean cosine of the closest out-of-scope examples (0..1). */
  unanswerable: number;
}

interface Example {
  answerable: boolean;
  /** The calibration sample number, when the example is one. */
  sample?: number;
}


function terms(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of [...bigramTokens(text), ...textWords(text).words.map((w) => `w:${w}`)]) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

export class QuestionNeighbours {
  private constructor(
    private readonly examples: Example[],
    /** Term → its number; per term number, its idf and the examples holding it with its weight there. */
    private readonly termIds: Map<string, number>,
    private readonly idf: Float64Array,
    private readonly postings: { example: number[]; weight: number[] }[],
    private readonly saved: NeighbourSnapshot,
  ) {}

  /** The examples as given (the calibration's and the evaluation scripts' starting point). */
  get source(): NeighbourExamples {
    return this.saved.examples;
  }

  snapshot(): NeighbourSnapshot {
    return this.saved;
  }

  static build(source: NeighbourExamples): QuestionNeighbours {
    const texts = [...source.answerable, ...source.inScope, ...source.outOfScope];
    const termIds = new Map<string, number>();
    const df: number[] = [];
    const docs = texts.map((text) =>
      [...terms(text)].map(([t, c]) => {
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
        postings[id]![1].push(Math.round(w * 1e4) / 1e4);
      }
    });
    return QuestionNeighbours.fromSnapshot({ examples: source, terms: [...termIds.keys()], idf, postings });
  }

  static fromSnapshot(snapshot: NeighbourSnapshot): QuestionNeighbours {
    const source = snapshot.examples;
    const examples: Example[] = [
      ...source.answerable.map(() => ({ answerable: true })),
      ...source.inScope.map((_, i) => ({ answerable: true, sample: i })),
      ...source.outOfScope.map((_, i) => ({ answerable: false, sample: source.inScope.length + i })),
    ];
    const termIds = new Map(snapshot.terms.map((t, i) => [t, i]));
    return new QuestionNeighbours(examples, termIds, Float64Array.from(snapshot.idf), snapshot.postings.map(([example, weight]) => ({ example, weight })), snapshot);
  }

  /**
   * How near the question comes to each side. `leaveOut(sample)` drops calibration examples
   * (the calibration's cross-validation leaves out the question's own fold).
   */
  nearness(question: string, leaveOut: (sample: number) => boolean = () => false): Nearness {
    // terms no example holds match nothing and are dropped, as their idf would be undefined
    const known = [...terms(question)].flatMap(([t, c]) => {
      const id = this.termIds.get(t);
      return id === undefined ? [] : [[id, (1 + Math.log(c)) * this.idf[id]!] as [number, number]];
    });
    const dots = new Map<number, number>();
    for (const [id, w] of normalised(known)) {
      const { example, weight } = this.postings[id]!;
      for (let k = 0; k < example.length; k++) dots.set(example[k]!, (dots.get(example[k]!) ?? 0) + w * weight[k]!);
    }
    const sides: [number[], number[]] = [[], []];
    for (const [i, d] of dots) {
      const e = this.examples[i]!;
      if (e.sample !== undefined && leaveOut(e.sample)) continue;
      sides[e.answerable ? 0 : 1].push(d);
    }
    return { answerable: meanOfClosest(sides[0]), unanswerable: meanOfClosest(sides[1]) };
  }
}

/** (1 + log tf) × idf weights, L2-normalised; zero weights (a term in every example) dropped. */
function normalised(weights: (readonly [number, number])[]): [number, number][] {
  const kept = weights.filter(([, w]) => w > 0);
  const norm = Math.sqrt(kept.reduce((s, [, w]) => s + w * w, 0)) || 1;
  return kept.map(([t, w]) => [t, w / norm]);
}

function meanOfClosest(values: number[]): number {
  const top = values.sort((a, b) => b - a).slice(0, NEIGHBOURS);
  return top.reduce((s, v) => s + v, 0) / NEIGHBOURS;
}
