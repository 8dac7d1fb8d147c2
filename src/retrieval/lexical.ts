/**
 * A lexical field: BM25 over dictionary words and over character bigrams of the same texts, and
 * the coverage measures (how much of a question a text contains). The search has three such
 * fields: the passages with their headings, the passage bodies, and the question variants.
 */
import type { Passage } from '../knowledge/passage.js';
import { Bm25Index, type Bm25Snapshot } from './bm25.js';
import type { AnalyzedQuery } from './analyze.js';
import { bigramTokens, wordTokens } from './tokenize.js';

/** How much the bigram view counts next to the word view. */
export const BIGRAM_WEIGHT = 0.7;

export interface LexicalSnapshot {
  words: Bm25Snapshot;
  bigrams: Bm25Snapshot;
}

/** How much of something a text contains (0..1), given whether it contains a word. */
export type ShareMeasure = (contains: (term: string) => boolean) => number;

export class LexicalIndex {
  private constructor(
    readonly words: Bm25Index,
    readonly bigrams: Bm25Index,
  ) {}

  /** Builds both views from the text each passage is indexed with. */
  static build(indexTexts: string[]): LexicalIndex {
    return new LexicalIndex(Bm25Index.build(indexTexts.map(wordTokens)), Bm25Index.build(indexTexts.map(bigramTokens)));
  }

  static fromSnapshot(s: LexicalSnapshot): LexicalIndex {
    return new LexicalIndex(Bm25Index.fromSnapshot(s.words), Bm25Index.fromSnapshot(s.bigrams));
  }

  snapshot(): LexicalSnapshot {
    return { words: this.words.snapshot(), bigrams: this.bigrams.snapshot() };
  }

  /**
   * Share of the question's nouns (IDF-weighted, unknown nouns counted as rare) that passage
   * `doc` contains, directly or through an equivalent. Used for the out-of-scope decision.
   */
  nounCoverage(q: AnalyzedQuery, doc: number): number {
    return this.shareMeasure(q.nouns, q, 0.8)((t) => this.words.contains(t, doc));
  }

  /**
   * Share of the query's information (IDF mass of the words the user typed, unknown words
   * counted as rare) that passage `doc` contains, directly or through a glossary equivalent.
   */
  coverage(q: AnalyzedQuery, doc: number): number {
    return this.coverageMeasure(q)((t) => this.words.contains(t, doc));
  }

  /** The coverage measure for any text (one sentence, say), given whether it contains a word. */
  coverageMeasure(q: AnalyzedQuery): ShareMeasure {
    return this.shareMeasure(q.userWords, q, 0.6);
  }

  /**
   * IDF-weighted share of `words` a text contains; a word found only through an equivalent earns
   * `relatedCredit`. The weights are worked out once, the measure is applied to many texts.
   */
  private shareMeasure(words: string[], q: AnalyzedQuery, relatedCredit: number): ShareMeasure {
    const terms = words.map((w) => ({ w, idf: Math.min(1, q.words.get(w) ?? 1) * (this.words.has(w) ? this.words.idf(w) : this.words.idf('\u0000')), related: q.related.get(w) ?? [] }));
    const total = terms.reduce((sum, t) => sum + t.idf, 0);
    return (contains) => {
      if (!total) return 0;
      let found = 0;
      for (const t of terms) {
        if (contains(t.w)) found += t.idf;
        else if (t.related.some((alt) => alt.every(contains))) found += relatedCredit * t.idf;
      }
      return found / total;
    };
  }

  /** Combined lexical scores by passage index. */
  score(q: AnalyzedQuery): Map<number, number> {
    const scores = this.words.score(q.words);
    for (const [doc, s] of this.bigrams.score(q.bigrams)) scores.set(doc, (scores.get(doc) ?? 0) + BIGRAM_WEIGHT * s);
    return scores;
  }
}

/** The text a passage is indexed with: headings, record keywords and the passage itself. */
export function indexText(passage: Passage, keywords: string[]): string {
  return [...new Set(keywords)].join('\n') + '\n' + passage.text;
}
