/**
 * Asking the documents: one search, the scope decision, and the answer (offline, or from the
 * language model when one is configured, falling back to offline on any failure).
 */
import type { Logger } from '../logger.js';
import type { LoadedIndex } from '../retrieval/index-store.js';
import { decideScope, isOutOfScope, type HandbookParts, type ScopeOutcome } from '../retrieval/scope.js';
import { boundedDense } from '../retrieval/embedders/bounded.js';
import { isRemoteEmbedder } from '../retrieval/embedders/index.js';
import type { SearchHit, SearchOptions, SearchResult } from '../retrieval/search.js';
import { MAX_CITATIONS, type Citation } from '../knowledge/citation.js';
import { shapeGenerated } from './generated.js';
import { LlmGate, type LlmStatus } from './llm-gate.js';
import { rerank, RERANK_CANDIDATES } from './llm-rerank.js';
import { rewriteFollowUp } from './llm-rewrite.js';
import { answerToText, composeAnswer, composeMenu, composeNotStated, composeOutOfScope, withCaveat, type AnswerDoc } from './compose.js';
import { detectIntent, isFollowUp, type Intent } from './intent.js';
import { readAsTerms } from '../retrieval/tokenize.js';
import type { LlmAnswerer } from './llm.js';
import { ANSWERING } from '../messages/answering.js';

/** The previous turn of the same conversation, for follow-up questions. */
export interface PreviousTurn {
  question: string;
}

export interface AskOptions {
  previous?: PreviousTurn;
  /** The intent, when the caller already detected it (the engine routes on it first). */
  intent?: Intent;
  /** Ranking weights and analysis switches (the ablation changes them; users get the defaults). */
  search?: SearchOptions;
}

export interface AskResult {
  intent: Intent;
  /** The scope decision's outcome (answer, caveat, refuse, not stated). */
  scope: ScopeOutcome;
  /** True when the reply says the documents do not answer (refuse or not stated). */
  outOfScope: boolean;
  /** Probability that the documents do not answer (from the calibrated model). */
  outOfScopeProbability: number;
  answer: AnswerDoc;
  /** The answer as plain text (without the citation list). */
  text: string;
  citations: Citation[];
  hits: SearchHit[];
  /** The text actually searched (with the previous question for a follow-up). */
  searchedFor: string;
  usedLlm: boolean;
}

export interface AssistantOptions {
  llm?: LlmAnswerer;
  /** The one deadline per question and the circuit breaker (made from the answerer's timeout if not given). */
  gate?: LlmGate;
  logger?: Logger;
  /** Runs network I/O outside the caller's turn (the engine's turns: other users keep being served). */
  outside?: <T>(io: () => Promise<T>) => Promise<T>;
}

/** Hits the offline answer reads (the model reranks more, see llm-rerank.ts). */
const OFFLINE_HITS = 8;
/** A noun in at most this share of the passages is one of their key terms. */
const KEY_TERM_SHARE = 0.3;

export class Assistant {
  private readonly serviceTerms: string[];
  private readonly gate: LlmGate | undefined;
  private readonly parts: HandbookParts;

  constructor(
    readonly index: LoadedIndex,
    private readonly options: AssistantOptions = {},
  ) {
    this.gate = options.gate ?? (options.llm ? new LlmGate({ host: 'llm', model: 'llm', timeoutMs: options.llm.timeoutMs, ...(options.logger ? { logger: options.logger } : {}) }) : undefined);
    this.parts = {
      faqIds: new Set(index.kb.faq.map((f) => f.id.toUpperCase())),
      pages: new Set(index.kb.passages.flatMap((p) => (p.page === null ? [] : [p.page]))),
    };
    this.serviceTerms = [
      ...index.kb.taxonomy.categories.flatMap((c) => [c.name, ...c.subcategories.map((s) => s.name.replace(/\(.*?\)/g, ''))]),
      '見守り', '移動販売', '買い物', '配食', '配達', '宅配', '送迎', '家事', '掃除', '居場所', 'カフェ', '体操', '運動', 'サロン', '通いの場', 'スマホ教室',
    ];
  }

  private get remoteEmbeddings(): boolean {
    return isRemoteEmbedder(this.index.manifest.embedder);
  }

  private outside<T>(io: () => Promise<T>): Promise<T> {
    return this.options.outside ? this.options.outside(io) : io();
  }

  intentOf(text: string): Intent {
    return detectIntent(text, this.serviceTerms);
  }

  /** IDF of a bigram, for choosing the sentences to quote. */
  private readonly bigramWeight = (g: string): number => {
    const grams = this.index.search.fields.text.bigrams;
    return grams.has(g) ? grams.idf(g) : 0;
  };

  /**
   * Runs the offline path on the handbook's own Q&A questions. The first questions after start-up
   * otherwise pay for one-time work (ICU's word dictionary, compiling the hot code) while users
   * wait: under a burst of requests that pushed Slack's acknowledgements towards their 3-second
   * limit (bench/load.bench.ts). With remote embeddings the warm-up skips the network.
   */
  async warmUp(): Promise<void> {
    const search = this.remoteEmbeddings ? this.index.search.withDense(undefined) : this.index.search;
    for (const f of this.index.kb.faq) composeAnswer(this.index.kb, f.question, (await search.search(f.question, 8)).hits, this.bigramWeight);
  }

  /** The model's state for /health (null when answers are offline by configuration). */
  llmStatus(): LlmStatus | null {
    return this.gate?.status() ?? null;
  }

  /** The start line's `answers` value: what the start-up check found, not what was configured. */
  answersLabel(): string {
    return this.gate?.answersLabel() ?? 'offline';
  }

  async ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    const intent = options.intent ?? this.intentOf(question);
    // a greeting, a question about the assistant or 「使い方」: the menu answers it, as in chat
    // (the engine routes it there before asking); the documents are not searched, and the ask
    // contract says they do not answer it
    if (intent === 'help') return this.menuResult(question);
    const { previous } = options;
    const followUp = previous && isFollowUp(question);
    let searchedFor = followUp ? `${previous.question}\n${question}` : question;
    const { kb } = this.index;
    // one budget for every network call of this question; none at all while the breaker is open
    const gate = this.gate;
    const deadline = gate ? gate.begin() : null;
    let failed = false;
    // only a question that called the network tells the breaker anything
    let tried = false;
    const fail = (what: string, error: unknown): void => {
      failed = true;
      gate?.fail(what, error, deadline?.signal);
    };
    const finish = (r: AskResult): AskResult => {
      if (deadline && tried) gate?.finish(!failed);
      return r;
    };
    // remote embeddings are a network call: held to the deadline, and waited for outside the engine's turn
    let search = this.index.search;
    if (this.remoteEmbeddings && gate) {
      tried = Boolean(deadline);
      search = deadline && this.index.vectors ? search.withDense(boundedDense(this.index.vectors, deadline.signal, (e) => fail('埋め込み', e))) : search.withDense(undefined);
    }
    const llm = this.options.llm && deadline && intent === 'question' ? this.options.llm : undefined;
    // a follow-up rewritten by the model into a standalone question is searched on its own
    let standalone: string | undefined;
    if (followUp && llm && deadline) {
      tried = true;
      try {
        standalone = await this.outside(() => rewriteFollowUp(llm.chat, previous.question, question, deadline.signal));
        searchedFor = standalone;
      } catch (error) {
        fail('言い換え', error);
      }
    }
    const searchOptions: SearchOptions = { ...options.search, ...(followUp && !standalone ? { context: previous.question } : {}) };
    const run = (): ReturnType<typeof search.search> => search.search(standalone ?? question, llm ? RERANK_CANDIDATES : OFFLINE_HITS, searchOptions);
    const result = await (this.remoteEmbeddings ? this.outside(run) : run());
    const hits = result.hits.slice(0, OFFLINE_HITS);
    const decision = decideScope(result, this.index.scope, this.parts);
    // every question searched is judged, whatever flow its words suggest: 「NISAって何から始めればいい？」
    // reads as a step-guide request and 「セコムの見守りサービスの料金体系は？」 as a provider search,
    // and neither is answered by the documents (a flow's own request, 「チェックリストに回答したい」,
    // is answered: its passages match it well)
    let scope: ScopeOutcome = decision.outcome;
    const done = (answer: AnswerDoc, usedLlm = false, shown: SearchHit[] = hits): AskResult =>
      finish({
        intent,
        scope,
        outOfScope: isOutOfScope(scope),
        outOfScopeProbability: decision.probability,
        answer,
        text: answerToText(answer, false),
        citations: answer.citations,
        hits: shown,
        searchedFor,
        usedLlm,
      });
    // the documents do not answer: the same reply whether the scope decision or the model says so
    const notAnswered = async (outcome: ScopeOutcome & { kind: 'refuse' | 'not_stated' }): Promise<AnswerDoc> => {
      if (outcome.kind === 'refuse') return composeOutOfScope(kb, hits, outcome.missing);
      // nothing is about a term no document writes: the nearest Q&A stand in
      if (outcome.unwritten) return composeNotStated(kb, question, hits, outcome, this.bigramWeight);
      // what the documents say about the thing asked about: its own passages, never another's fact
      const about = new Set(result.fact?.passageIds ?? []);
      const own = (await this.index.search.search(question, 40, { ...searchOptions, weights: { ...(options.search?.weights ?? this.index.search.weights), dense: 0 } })).hits.filter((h) => about.has(h.passage.id));
      return composeNotStated(kb, question, own, outcome, this.bigramWeight);
    };
    if (scope.kind === 'refuse' || scope.kind === 'not_stated') return done(await notAnswered(scope));
    let ranked = hits;
    if (llm && deadline && !deadline.signal.aborted) {
      // the model finds as well as writes: it reorders the candidates, the answer cites its top five
      tried = true;
      try {
        ranked = (await this.outside(() => rerank(llm.chat, question, result.hits, deadline.signal))).slice(0, OFFLINE_HITS);
      } catch (error) {
        fail('並べ替え', error);
      }
    }
    let answer = this.offlineAnswer(question, ranked, result, scope.kind === 'caveat');
    if (!llm || !deadline || deadline.signal.aborted) return done(answer, false, ranked);
    const given = ranked.slice(0, MAX_CITATIONS);
    let raw: string;
    tried = true;
    try {
      raw = (await this.outside(() => llm.generate(question, given, followUp ? previous.question : undefined, deadline.signal))).raw ?? '';
    } catch (error) {
      fail('回答', error);
      return done(answer, false, ranked);
    }
    const shaped = shapeGenerated({ kb, question, given, raw, caveat: scope.kind === 'caveat', isKeyTerm: this.isKeyTerm });
    if (shaped.kind === 'refusal') {
      scope = result.fact
        ? { kind: 'not_stated', fact: result.fact.kind, ...(result.fact.place ? { place: result.fact.place } : {}), entity: result.fact.entity, ...(result.fact.unwritten ? { unwritten: true } : {}) }
        : { kind: 'refuse', missing: [] };
      return done(await notAnswered(scope), true);
    }
    if (shaped.kind === 'rejected') {
      this.options.logger?.warn({ reason: shaped.reason }, 'LLM の回答を使わず、オフラインの回答に差し替えました');
      return done(answer, false, ranked);
    }
    answer = shaped.answer;
    return done(answer, true, ranked);
  }

  private menuResult(question: string): AskResult {
    const answer = composeMenu(this.index.kb);
    const scope: ScopeOutcome = { kind: 'refuse', missing: [] };
    return { intent: 'help', scope, outOfScope: isOutOfScope(scope), outOfScopeProbability: 1, answer, text: answerToText(answer, false), citations: [], hits: [], searchedFor: question, usedLlm: false };
  }

  /** The offline answer from these hits (the definition note and the caveat as the scope decided). */
  private offlineAnswer(question: string, hits: SearchHit[], result: SearchResult, caveat: boolean): AnswerDoc {
    let answer = composeAnswer(this.index.kb, question, hits, this.bigramWeight);
    if (result.definition && result.definition.term !== result.definition.full) {
      answer = { ...answer, note: ANSWERING.definitionNote(result.definition.term, result.definition.full) };
    }
    return caveat ? withCaveat(answer, readAsTerms(question, result.novelCompounds).slice(0, 2)) : answer;
  }

  /** A noun specific to a few passages (what a generated answer must use at least one of). */
  private readonly isKeyTerm = (noun: string): boolean => {
    const words = this.index.search.fields.text.words;
    return words.has(noun) && words.documentFrequency(noun) <= KEY_TERM_SHARE * this.index.search.passages.length;
  };
}

