/**
 * A small BM25 index over pre-tokenised documents. One instance per token view (words, bigrams);
 * the hybrid search combines them. Kept in memory: the corpus is a few hundred passages.
 */
export interface Bm25Options {
  k1?: number;
  b?: number;
}

export interface Bm25Snapshot {
  k1: number;
  b: number;
  docLengths: number[];
  postings: [string, [number, number][]][];
}

/** Query terms with weights (expansions from the glossary count less than what the user typed). */
export type WeightedTerms = Map<string, number>;

export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  private readonly postings = new Map<string, [number, number][]>();
  private docLengths: number[] = [];
  private avgLength = 0;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

  /** Adds documents in order: document i gets id i. */
  static build(docs: string[][], options?: Bm25Options): Bm25Index {
    const index = new Bm25Index(options);
    for (const tokens of docs) index.add(tokens);
    index.finish();
    return index;
  }

  static fromSnapshot(s: Bm25Snapshot): Bm25Index {
    const index = new Bm25Index({ k1: s.k1, b: s.b });
    index.docLengths = s.docLengths;
    for (const [term, list] of s.postings) index.postings.set(term, list);
    index.finish();
    return index;
  }

  snapshot(): Bm25Snapshot {
    return { k1: this.k1, b: this.b, docLengths: this.docLengths, postings: [...this.postings] };
  }

  private add(tokens: string[]): void {
    const id = this.docLengths.length;
    this.docLengths.push(tokens.length);
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [term, count] of tf) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = []));
      list.push([id, count]);
    }
  }

  private finish(): void {
    const total = this.docLengths.reduce((a, b) => a + b, 0);
    this.avgLength = this.docLengths.length ? total / this.docLengths.length : 0;
  }

  get size(): number {
    return this.docLengths.length;
  }

  /** Number of documents containing the term. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  private readonly docSets = new Map<string, Set<number>>();

  /** Whether document `doc` contains `term`. */
  contains(term: string, doc: number): boolean {
    let set = this.docSets.get(term);
    if (!set) {
      set = new Set((this.postings.get(term) ?? []).map(([d]) => d));
      this.docSets.set(term, set);
    }
    return set.has(doc);
  }

  /** Every indexed term (for typo correction). */
  terms(): IterableIterator<string> {
    return this.postings.keys();
  }

  idf(term: string): number {
    const n = this.docLengths.length;
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Scores every document that shares a term with the query; returns a sparse score map. */
  score(query: WeightedTerms): Map<number, number> {
    const scores = new Map<number, number>();
    for (const [term, weight] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const [doc, tf] of list) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.docLengths[doc]!) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + weight * idf * ((tf * (this.k1 + 1)) / norm));
      }
    }
    return scores;
  }
}
