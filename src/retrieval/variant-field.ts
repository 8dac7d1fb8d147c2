/**
 * The question-variant field: every variant (knowledge/data/questions.json) is a document of its
 * own, and a passage scores as its best-matching variant. A user's question is matched against
 * questions, one at a time, the way FAQ retrieval works (localgovFAQ): pooling a passage's ten
 * variants into one bag would let a question match a little of each instead of one of them well.
 */
import type { AnalyzedQuery } from './analyze.js';
import { LexicalIndex, type LexicalSnapshot } from './lexical.js';

export interface VariantFieldSnapshot {
  lexical: LexicalSnapshot;
  /** For each variant, the index of the passage it belongs to. */
  passageOf: number[];
}

export class VariantField {
  private constructor(
    readonly index: LexicalIndex,
    private readonly passageOf: number[],
  ) {}

  /** `variants[i]` are the variants of passage i (possibly none). */
  static build(variants: readonly (readonly string[])[]): VariantField {
    const texts: string[] = [];
    const passageOf: number[] = [];
    variants.forEach((list, i) => {
      for (const v of list) {
        texts.push(v);
        passageOf.push(i);
      }
    });
    return new VariantField(LexicalIndex.build(texts), passageOf);
  }

  static fromSnapshot(s: VariantFieldSnapshot): VariantField {
    return new VariantField(LexicalIndex.fromSnapshot(s.lexical), s.passageOf);
  }

  snapshot(): VariantFieldSnapshot {
    return { lexical: this.index.snapshot(), passageOf: this.passageOf };
  }

  get size(): number {
    return this.passageOf.length;
  }

  /** Per passage, the BM25 score of its best-matching variant. */
  scores(q: AnalyzedQuery): Map<number, number> {
    const best = new Map<number, number>();
    for (const [v, s] of this.index.score(q)) {
      const p = this.passageOf[v]!;
      if (s > (best.get(p) ?? 0)) best.set(p, s);
    }
    return best;
  }

  /**
   * Per passage, how much of the question (IDF share of its words) its best variant contains.
   * Absolute, unlike BM25: 1 means some variant has every word of the question.
   */
  coverage(q: AnalyzedQuery, candidates: Iterable<number>): Map<number, number> {
    const measure = this.index.coverageMeasure(q);
    const wanted = new Set(candidates);
    const out = new Map<number, number>();
    this.passageOf.forEach((p, v) => {
      if (!wanted.has(p)) return;
      const c = measure((t) => this.index.words.contains(t, v));
      if (c > (out.get(p) ?? 0)) out.set(p, c);
    });
    return out;
  }
}
