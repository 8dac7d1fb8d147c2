/**
 * The search: one declared pipeline (ranking/), run once per question.
 *
 *   analyse the question (analyze.ts)
 *   → candidates: every passage any field matches, and the dense half's nearest neighbours
 *   → signals per candidate (ranking/signals.ts), each scaled to 0..1
 *   → fused score: the weighted sum of the signals (ranking/fuse.ts, weights in ranking/weights.ts)
 *   → distinct passages (ranking/distinct.ts)
 *
 * The scope decision reads the same result (its signals are absolute, see scope.ts), so a
 * question is analysed and searched once.
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import { isSearchable, passageBody, type Passage } from '../knowledge/passage.js';
import { ALL_ANALYSIS, EXPANSION_WEIGHTS, QueryAnalyzer, type AnalysisOptions, type AnalyzedQuery } from './analyze.js';
import { definitionTargets, isDefinitionQuestion, namesTerm, type Definition } from './definitions.js';
import { buildPassageMeta, type PassageMeta } from './enrich.js';
import { FactCheck, type FactFinding } from './fact-check.js';
import { questionTerms, type Nearness, type QuestionNeighbours } from './neighbours.js';
import type { WordingClassifier } from './wording-classifier.js';
import { GlossaryExpander } from './glossary.js';
import { indexText, LexicalIndex } from './lexical.js';
import { SentenceIndex } from './proximity.js';
import { distinct, findDuplicates } from './ranking/distinct.js';
import { fuse, type Candidate } from './ranking/fuse.js';
import { computeSignals, type DenseMatch } from './ranking/signals.js';
import { DEFAULT_WEIGHTS, type RankingWeights, type Signals } from './ranking/weights.js';
import { explicitRefs, type ExplicitRefs } from './structure.js';
import { SynonymDictionary } from './synonyms.js';
import { splitSentences } from './tokenize.js';
import { VariantField } from './variant-field.js';
import type { QuestionClassifier } from './question-classifier.js';

export interface DenseRetriever {
  /** Passage indexes and cosine similarities, best first. */
  search(query: string, k: number): Promise<DenseMatch[]>;
}

export interface SearchHit {
  passage: Passage;
  meta: PassageMeta;
  /** Final fused score (comparable only within one query). */
  score: number;
  /** The signals the score was fused from. */
  signals: Signals;
  /** Share of the question's nouns the passage contains (0..1), for the scope decision. */
  nounCoverage: number;
}

export interface SearchResult {
  hits: SearchHit[];
  analyzed: AnalyzedQuery;
  /** The parts of the documents the question names (Q6, ステップ2, P.16) and the cues it gives. */
  refs: ExplicitRefs;
  /** Best share of the question that one question variant contains, over all passages (0..1). */
  variantMatch: number;
  /** Best share of the question that one passage contains, over all passages (0..1). */
  textMatch: number;
  /** Best BM25 of one question variant and of one passage, per word of the question (log-scaled). */
  strength: { variants: number; text: number };
  /** Nouns of the question the documents use, and of those the specific ones (in few passages). */
  knownNouns: number;
  domainNouns: number;
  /**
   * Compound terms of the question (kanji and katakana runs of NOVEL_COMPOUND characters or more)
   * that no passage, heading, question variant or glossary entry writes, though each of their words
   * may be known: 要介護認定, 介護保険料, 人員基準 are made of the documents' words but name a topic
   * the documents do not treat. Evidence of another topic for the scope decision.
   */
  novelCompounds: string[];
  /** Of those, the ones that read as terms and that no passage writes in other words (fact-check.ts unwrittenTerms). */
  unwrittenTerms: string[];
  /** How near the question comes to answerable and to out-of-scope example questions (none without examples). */
  nearness: Nearness;
  /** The log-odds that it is worded like the out-of-scope examples (wording-classifier.ts; 0 without a model). */
  wording: number;
  /** When the question asks what a glossary term means and the glossary knows where it is defined. */
  definition?: { term: string; full: string };
  /**
   * When the question asks for a kind of fact (facts.ts) about a specific thing the documents
   * name: the thing, and whether any passage about it states such a fact.
   */
  fact?: FactFinding;
}

/** How the caller wants this search run (the defaults serve users; the ablation changes them). */
export interface SearchOptions {
  weights?: Readonly<RankingWeights>;
  analysis?: AnalysisOptions;
  /**
   * The previous question, for a follow-up (「沖縄県の場合は？」): its terms join the search at
   * EXPANSION_WEIGHTS.context, so the new question leads and the old one only keeps the topic.
   */
  context?: string;
  /** Calibration samples the nearness leaves out (the calibration's own fold; neighbours.ts). */
  leaveOut?: (sample: number) => boolean;
  /** The wording model to read instead of the index's (the calibration's, trained without the fold). */
  wording?: WordingClassifier;
}

/** A noun in at most this share of the passages is the domain's own vocabulary (研修, 事例集), not general. */
const DOMAIN_SHARE = 0.15;
/** A kanji/katakana run this long that the documents never write is a compound term of its own. */
const NOVEL_COMPOUND = 4;

/** How many dense neighbours join the candidates. */
const DENSE_CANDIDATES = 30;

/** The parts of the search that are built from the knowledge and saved with the index. */
export interface SearchFields {
  text: LexicalIndex;
  bodies: LexicalIndex;
  sentences: SentenceIndex;
  variants: VariantField;
  synonyms?: SynonymDictionary;
  /** Which passage answers a question, learnt from the labelled questions (question-classifier.ts). */
  classifier?: QuestionClassifier;
  /** Labelled example questions, for the scope decision's nearness features (neighbours.ts). */
  neighbours?: QuestionNeighbours;
  /** How much a question is worded like the out-of-scope examples (wording-classifier.ts). */
  wording?: WordingClassifier;
}

/** Adds a previous question's terms to a follow-up's, at the context weight (never above a typed term). */
function withContext(analyzed: AnalyzedQuery, context: AnalyzedQuery): void {
  for (const [view, terms] of [[analyzed.words, context.words], [analyzed.bigrams, context.bigrams]] as const) {
    for (const [t, w] of terms) view.set(t, Math.max(view.get(t) ?? 0, w * EXPANSION_WEIGHTS.context));
  }
}

export function searchablePassages(kb: Pick<KnowledgeBase, 'passages'>): Passage[] {
  return kb.passages.filter(isSearchable);
}

/** Builds every lexical field from the knowledge (at ingest). */
export function buildFields(kb: KnowledgeBase, synonyms?: SynonymDictionary): SearchFields {
  const passages = searchablePassages(kb);
  const metas = buildPassageMeta(kb);
  return {
    text: LexicalIndex.build(passages.map((p) => indexText(p, metas.get(p.id)!.keywords))),
    bodies: LexicalIndex.build(passages.map(passageBody)),
    sentences: SentenceIndex.build(passages.map(passageBody)),
    variants: buildVariantField(kb, passages),
    ...(synonyms ? { synonyms } : {}),
  };
}

/**
 * Each passage's questions: its question variants, or, for a prefecture's own document without
 * question variants, its sentences standing in for them, so the variant field, the question
 * classifier and the scope decision that reads them can speak for its passages.
 */
export function passageQuestions(kb: KnowledgeBase, passages = searchablePassages(kb)): { questions: string[]; standIn: boolean }[] {
  const local = new Set(kb.documents.filter((d) => d.local).map((d) => d.header.id));
  return passages.map((p) => {
    const variants = kb.questions[p.id];
    if (variants) return { questions: variants, standIn: false };
    return { questions: local.has(p.docId) ? splitSentences(passageBody(p)).filter((x) => x.length >= 10) : [], standIn: true };
  });
}

/** The question-variant field alone (the pseudo-query evaluation rebuilds it per fold, without the variants it holds out). */
export function buildVariantField(kb: KnowledgeBase, passages = searchablePassages(kb)): VariantField {
  return VariantField.build(passageQuestions(kb, passages).map((p) => p.questions));
}

export class HybridSearch {
  readonly passages: Passage[];
  readonly metas: PassageMeta[];
  readonly analyzer: QueryAnalyzer;
  /** For a passage that repeats another (the same slide in two documents), the one it repeats. */
  readonly duplicateOf: (number | undefined)[];
  /** For each glossary term that has a defining passage, that passage's index. */
  private readonly definitions: Map<string, Definition>;
  /** Whether a fact question's fact is stated about what it names (fact-check.ts). */
  private readonly facts: FactCheck;
  /** Everything the knowledge writes (passages with headings, question variants, glossary), NFKC, for novelCompounds. */
  private readonly written: string;

  constructor(
    kb: KnowledgeBase,
    readonly fields: SearchFields,
    private readonly dense?: DenseRetriever,
    /** The weights a search uses unless it is given others (ranking/weights.ts weightsFor). */
    readonly weights: Readonly<RankingWeights> = DEFAULT_WEIGHTS,
  ) {
    this.passages = searchablePassages(kb);
    const metaById = buildPassageMeta(kb);
    this.metas = this.passages.map((p) => metaById.get(p.id)!);
    this.analyzer = new QueryAnalyzer(fields.text, new GlossaryExpander(kb.glossary), fields.synonyms, fields.variants.index);
    this.duplicateOf = findDuplicates(this.passages.map(passageBody));
    this.definitions = definitionTargets(kb, this.passages);
    // each passage with its headings, NFKC: what the fact check looks names up in, and part of what is written
    const texts = this.passages.map((p) => `${p.titlePath.join('\n')}\n${p.text}`.normalize('NFKC'));
    this.facts = new FactCheck(kb, this.passages, fields.text.words, texts);
    this.written = [...texts, ...Object.values(kb.questions).flat(), ...kb.glossary.groups.flatMap((g) => g.terms)].join('\n').normalize('NFKC');
  }

  /** See SearchResult.novelCompounds. A mistyped spelling of a known compound (伴送支援) is not novel. */
  private novelCompounds(query: string, analyzed: AnalyzedQuery): string[] {
    const text = query.normalize('NFKC');
    const mistyped = new Set(analyzed.mistyped.map((typed) => typed.normalize('NFKC')));
    const runs = text.match(/[\p{Script=Han}\p{Script=Katakana}ー]+/gu) ?? [];
    return [...new Set(runs)].filter((r) => r.length >= NOVEL_COMPOUND && !this.written.includes(r) && ![...mistyped].some((m) => r.includes(m)) && !this.fields.synonyms?.knows(r));
  }

  /** The same search with another dense half (or none), sharing everything derived from the knowledge. */
  withDense(dense: DenseRetriever | undefined): HybridSearch {
    const copy = Object.create(HybridSearch.prototype) as HybridSearch;
    return Object.assign(copy, this, { dense, onDenseError: undefined });
  }

  /** Called when the dense half fails; the search continues without it. */
  onDenseError?: (error: unknown) => void;

  /** The best `k` passages for a query. */
  async search(query: string, k = 10, options: SearchOptions = {}): Promise<SearchResult> {
    const weights = options.weights ?? this.weights;
    const { analyzed, refs, definition, raw, candidates } = await this.candidates(query, options);
    const ranked = this.rank(candidates, weights);
    const novel = this.novelCompounds(query, analyzed);
    const unwritten = this.facts.unwrittenTerms(query, novel);
    const checked = this.facts.check(query, analyzed, ranked);
    const hits = ranked.slice(0, k).map((c) => ({
      passage: this.passages[c.index]!,
      meta: this.metas[c.index]!,
      score: c.score,
      signals: c.signals,
      nounCoverage: this.fields.text.nounCoverage(analyzed, c.index),
    }));
    // counted once for the neighbours and the wording classifier, which read the same terms
    const terms = questionTerms(query);
    return {
      hits,
      analyzed,
      refs,
      variantMatch: Math.max(0, ...this.fields.variants.coverage(analyzed, candidates.map((c) => c.index)).values()),
      textMatch: Math.max(0, ...candidates.map((c) => c.signals.coverage)),
      novelCompounds: novel,
      unwrittenTerms: unwritten,
      nearness: this.fields.neighbours?.nearness(terms, options.leaveOut) ?? { answerable: 0, unanswerable: 0, vote: 0 },
      wording: (options.wording ?? this.fields.wording)?.logit(terms) ?? 0,
      ...this.strength(analyzed, raw),
      ...(definition ? { definition: { term: definition.term, full: definition.full } } : {}),
      ...(checked.fact ? checked : this.facts.unwritten(query, unwritten)),
    };
  }

  /**
   * The question's analysis and every candidate passage with its signals, before fusion. No weight
   * changes them, except that a dense weight of 0 skips the dense half.
   */
  async candidates(query: string, options: SearchOptions = {}): Promise<{ analyzed: AnalyzedQuery; refs: ExplicitRefs; definition?: Definition; raw: { text: Map<number, number>; variants: Map<number, number> }; candidates: Candidate[] }> {
    const weights = options.weights ?? this.weights;
    const analyzed = this.analyzer.analyze(query, options.analysis ?? ALL_ANALYSIS);
    if (options.context) withContext(analyzed, this.analyzer.analyze(options.context, options.analysis ?? ALL_ANALYSIS));
    const refs = explicitRefs(query);
    let denseMatches: DenseMatch[] = [];
    if (this.dense && weights.dense) {
      // a remote embedder that fails (network, quota) must not take the search down with it
      denseMatches = await this.dense.search(options.context ? `${options.context}\n${query}` : query, DENSE_CANDIDATES).catch((error: unknown) => {
        this.onDenseError?.(error);
        return [];
      });
    }
    const definition = isDefinitionQuestion(query) ? this.definedBy(analyzed) : undefined;
    const defined = new Set(definition?.passages ?? []);
    const raw = { text: this.fields.text.score(analyzed), variants: this.fields.variants.scores(analyzed) };
    const learned = weights.learned ? this.fields.classifier?.scores(options.context ? `${options.context}\n${query}` : query) : undefined;
    const candidates = computeSignals({ fields: this.fields, passages: this.passages, metas: this.metas, analyzed, refs, dense: denseMatches, defined, raw, ...(learned ? { learned } : {}) });
    return { analyzed, refs, ...(definition ? { definition } : {}), raw, candidates };
  }

  /**
   * The ranking after the signals: fused score, then distinct passages, best
   * first. Sets each candidate's score; the signals are left as they are, so the same candidates
   * can be ranked again under other weights (scripts/pseudo-queries.ts fits the weights that way).
   */
  rank(candidates: Candidate[], weights: Readonly<RankingWeights>): Candidate[] {
    return distinct(fuse(candidates, weights), this.duplicateOf);
  }

  /** The absolute strength of the match and how much of the question is the domain's vocabulary. */
  private strength(analyzed: AnalyzedQuery, raw: { text: Map<number, number>; variants: Map<number, number> }): Pick<SearchResult, 'strength' | 'knownNouns' | 'domainNouns'> {
    const perWord = (scores: Map<number, number>): number => Math.log(1 + Math.max(0, ...scores.values()) / Math.max(1, analyzed.userWords.length));
    const words = this.fields.text.words;
    const known = analyzed.nouns.filter((n) => words.has(n) || analyzed.related.has(n));
    return {
      strength: { variants: perWord(raw.variants), text: perWord(raw.text) },
      knownNouns: known.length,
      domainNouns: known.filter((n) => words.has(n) && words.documentFrequency(n) <= DOMAIN_SHARE * this.passages.length).length,
    };
  }

  /** Passages that define a glossary term the question names. */
  private definedBy(analyzed: AnalyzedQuery): Definition | undefined {
    const typed = new Set(analyzed.userWords);
    // the longest term the question names (地域包括支援センター over 包括)
    return [...this.definitions].filter(([key]) => namesTerm(key, typed)).sort((a, b) => b[0].length - a[0].length)[0]?.[1];
  }
}
