/**
 * Hybrid search: BM25 (words + bigrams) and, when a vector index is present, dense similarity,
 * fused by reciprocal rank; then structure-aware boosts and a little smoothing across the
 * passages of one section (a question often matches a section's heading passage while the
 * answer sits in its next passage).
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import { normalizeForMatch } from '../knowledge/normalize.js';
import { passageBody, UNSEARCHABLE_KINDS, type Passage } from '../knowledge/passage.js';
import { buildPassageMeta, type PassageMeta } from './enrich.js';
import { GlossaryExpander } from './glossary.js';
import { indexText, LexicalIndex, type AnalyzedQuery, type LexicalSnapshot } from './lexical.js';
import { SentenceIndex } from './proximity.js';
import { explicitRefs, structureBoost, type ExplicitRefs } from './structure.js';

/** Passages with less body than this are headings or label lists: kept for display, not searched. */
const MIN_SEARCHABLE_CHARS = 30;
/** Share of the best sibling's score a passage inherits from its section. */
const SECTION_SMOOTHING = 0.2;

export interface DenseRetriever {
  /** Passage indexes and cosine similarities, best first. */
  search(query: string, k: number): Promise<{ index: number; similarity: number }[]>;
}

export interface SearchHit {
  passage: Passage;
  meta: PassageMeta;
  /** Final fused score (comparable only within one query). */
  score: number;
  /** BM25 score of the lexical half (absolute: used for the out-of-scope decision). */
  lexical: number;
  /** Cosine similarity of the dense half, when present. */
  dense: number | null;
  /** Share of the question's information the passage covers (0..1). */
  coverage: number;
  /** Share of the question's nouns the passage contains (0..1). */
  nounCoverage: number;
}

export interface SearchResult {
  hits: SearchHit[];
  analyzed: AnalyzedQuery;
  /** The parts of the documents the question names (Q6, ステップ2, P.16) and the cues it gives. */
  refs: ExplicitRefs;
}

export function searchablePassages(kb: KnowledgeBase): Passage[] {
  return kb.passages.filter((p) => !UNSEARCHABLE_KINDS.has(p.kind) && p.text.replace(/^.*\n/, '').length >= MIN_SEARCHABLE_CHARS);
}

export class HybridSearch {
  readonly passages: Passage[];
  readonly metas: PassageMeta[];
  readonly glossary: GlossaryExpander;
  private readonly sectionOf: string[];
  /** For a passage that repeats another (the same slide in two documents), the one it repeats. */
  private readonly duplicateOf: (number | undefined)[];

  constructor(
    kb: KnowledgeBase,
    readonly lexical: LexicalIndex,
    private readonly dense?: DenseRetriever,
    /** BM25 over passage bodies only, to choose between passages of one section. */
    readonly bodies: LexicalIndex = LexicalIndex.build(searchablePassages(kb).map(passageBody)),
    /** Words by sentence, for the proximity signal. */
    readonly sentences: SentenceIndex = SentenceIndex.build(searchablePassages(kb).map(passageBody)),
  ) {
    this.passages = searchablePassages(kb);
    const metaById = buildPassageMeta(kb);
    this.metas = this.passages.map((p) => metaById.get(p.id)!);
    this.glossary = new GlossaryExpander(kb.glossary);
    this.sectionOf = this.passages.map((p) => `${p.docId}:${p.sectionId}`);
    this.duplicateOf = findDuplicates(this.passages.map(passageBody));
  }

  /**
   * The same search with another dense half (or none), sharing everything the constructor derived
   * from the knowledge: the lexical-only search and the hybrid one are both needed at start-up,
   * and deriving twice doubled the cold start.
   */
  withDense(dense: DenseRetriever | undefined): HybridSearch {
    const copy = Object.create(HybridSearch.prototype) as HybridSearch;
    return Object.assign(copy, this, { dense, onDenseError: undefined });
  }

  /** Called when the dense half fails; the search continues with the lexical half. */
  onDenseError?: (error: unknown) => void;

  /** The texts the lexical index is built from, in passage order. */
  static indexTexts(kb: KnowledgeBase): string[] {
    const metaById = buildPassageMeta(kb);
    return searchablePassages(kb).map((p) => indexText(p, metaById.get(p.id)!.keywords));
  }

  static buildLexical(kb: KnowledgeBase): LexicalIndex {
    return LexicalIndex.build(HybridSearch.indexTexts(kb));
  }

  static fromSnapshot(kb: KnowledgeBase, snapshot: LexicalSnapshot, dense?: DenseRetriever): HybridSearch {
    return new HybridSearch(kb, LexicalIndex.fromSnapshot(snapshot), dense);
  }

  /**
   * The best `k` passages for a query. `analyzed` is the query as another search over the same
   * lexical index already analysed it (the assistant runs the lexical-only and the hybrid search
   * on one question).
   */
  async search(query: string, k = 10, analyzed: AnalyzedQuery = this.lexical.analyze(query, this.glossary)): Promise<SearchResult> {
    const lexicalScores = this.lexical.score(analyzed);
    const refs = explicitRefs(query);
    const fused = new Map<number, number>();
    const maxLex = Math.max(0, ...lexicalScores.values());
    for (const [i, s] of lexicalScores) {
      // BM25 normalised to the best passage, tempered by how much of the question the passage covers
      fused.set(i, (s / (maxLex || 1)) * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * this.lexical.coverage(analyzed, i)));
    }
    const denseSim = new Map<number, number>();
    if (this.dense) {
      // a remote embedder that fails (network, quota) must not take the search down with it
      const denseHits = await this.dense.search(query, DENSE_CANDIDATES).catch((error: unknown) => {
        this.onDenseError?.(error);
        return [];
      });
      const best = denseHits[0]?.similarity ?? 0;
      for (const { index, similarity } of denseHits) {
        denseSim.set(index, similarity);
        if (best <= 0) continue;
        fused.set(index, (fused.get(index) ?? 0) + DENSE_WEIGHT * Math.max(0, similarity / best));
      }
    }
    const boosted = new Map<number, number>();
    const sentenceCoverage = this.lexical.coverageMeasure(analyzed);
    for (const [i, s] of fused) {
      // a passage that answers the question in one sentence beats one that scatters its words
      const proximity = this.sentences.best(i, sentenceCoverage);
      boosted.set(i, (s + SENTENCE_WEIGHT * proximity) * structureBoost(this.passages[i]!, this.metas[i], refs));
    }
    // within a section the headings are shared: the passage whose own text matches best comes first
    // (the question's terms as analysed once above; a term the bodies never use simply scores nothing)
    const bodyScores = this.bodies.score(analyzed);
    const maxBody = Math.max(0, ...bodyScores.values());
    if (maxBody > 0) for (const [i, s] of boosted) boosted.set(i, s + BODY_WEIGHT * ((bodyScores.get(i) ?? 0) / maxBody));
    const bestInSection = new Map<string, number>();
    for (const [i, s] of boosted) {
      const key = this.sectionOf[i]!;
      bestInSection.set(key, Math.max(bestInSection.get(key) ?? 0, s));
    }
    const final = [...boosted].map(([i, s]) => [i, s + SECTION_SMOOTHING * (bestInSection.get(this.sectionOf[i]!)! - s)] as const);
    final.sort((a, b) => b[1] - a[1]);
    // the same slide appears in several government documents: cite it once
    const seen = new Set<number>();
    const distinct = final.filter(([i]) => {
      const group = this.duplicateOf[i] ?? i;
      if (seen.has(group)) return false;
      seen.add(group);
      return true;
    });
    const hits = distinct.slice(0, k).map(([i, score]) => ({
      passage: this.passages[i]!,
      meta: this.metas[i]!,
      score,
      lexical: lexicalScores.get(i) ?? 0,
      dense: denseSim.get(i) ?? null,
      coverage: this.lexical.coverage(analyzed, i),
      nounCoverage: this.lexical.nounCoverage(analyzed, i),
    }));
    return { hits, analyzed, refs };
  }
}

/** Passages whose bodies share this much of their character bigrams are the same text. */
const DUPLICATE_JACCARD = 0.7;

function findDuplicates(bodies: string[]): (number | undefined)[] {
  const sets = bodies.map((b) => {
    const chars = [...normalizeForMatch(b).replace(/\s+/g, '')];
    return new Set(chars.slice(1).map((c, i) => chars[i]! + c));
  });
  return sets.map((set, j) => {
    for (let i = 0; i < j; i++) {
      const other = sets[i]!;
      let inter = 0;
      for (const g of set) if (other.has(g)) inter++;
      const union = set.size + other.size - inter;
      if (union && inter / union >= DUPLICATE_JACCARD) return i;
    }
    return undefined;
  });
}

/** Weight of the dense similarity in the fusion, relative to the lexical score (both scaled to the best hit). */
export const DENSE_WEIGHT = 0.3;
/** Weight of the best single sentence's coverage of the question (0..1) added to the fused score. */
const SENTENCE_WEIGHT = 0.25;
/** Weight of the body-only BM25 (scaled to the best body) added to the fused score. */
const BODY_WEIGHT = 0.15;
/** How many dense neighbours join the candidates. */
const DENSE_CANDIDATES = 30;
/** A passage that covers none of the question keeps this share of its BM25 score. */
const COVERAGE_FLOOR = 0.4;
