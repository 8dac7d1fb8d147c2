/**
 * Term proximity at the level of sentences. BM25 and the coverage measure treat a passage as a
 * bag of words, so a passage that mentions the question's words in five different sentences ties
 * with one that says the question's whole point in a single sentence. The second is nearly always
 * the answer: a Q&A bullet such as 「都道府県には市町村と多様な主体をつなげる役割を期待している」
 * should beat a round-table page that uses 都道府県, 期待 and 役割 far apart. Here each passage
 * body is kept as the sets of words of its sentences (bullets and lines count as sentences), and
 * the search asks how much of the question the best single sentence covers.
 */
import type { ShareMeasure } from './lexical.js';
import { splitSentences, wordTokens } from './tokenize.js';

/** Per passage, per sentence, the distinct words. */
export type SentenceSnapshot = string[][][];

export class SentenceIndex {
  private readonly sets: Set<string>[][];

  private constructor(sentences: SentenceSnapshot) {
    this.sets = sentences.map((passage) => passage.map((words) => new Set(words)));
  }

  /** Builds from passage bodies (headings are shared by a section's passages and say nothing here). */
  static build(bodies: string[]): SentenceIndex {
    return new SentenceIndex(bodies.map((body) => splitSentences(body).map((s) => [...new Set(wordTokens(s))])));
  }

  static fromSnapshot(snapshot: SentenceSnapshot): SentenceIndex {
    return new SentenceIndex(snapshot);
  }

  snapshot(): SentenceSnapshot {
    return this.sets.map((passage) => passage.map((set) => [...set]));
  }

  /** The best value `measure` gives one sentence of passage `doc` (0 for an empty passage). */
  best(doc: number, measure: ShareMeasure): number {
    let best = 0;
    for (const set of this.sets[doc] ?? []) best = Math.max(best, measure((t) => set.has(t)));
    return best;
  }
}
