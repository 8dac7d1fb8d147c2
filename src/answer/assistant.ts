/**
 * Asking the documents: one search, the scope decision, and the answer (offline, or from the
 * language model when one is configured, falling back to offline on any failure).
 */
import type { Logger } from '../logger.js';
import type { LoadedIndex } from '../retrieval/index-store.js';
import { decideScope, isOutOfScope, type HandbookParts, type ScopeOutcome } from '../retrieval/scope.js';
import { DEFAULT_WEIGHTS } from '../retrieval/ranking/weights.js';
import type { SearchHit, SearchOptions } from '../retrieval/search.js';
import { citationOf, MAX_CITATIONS, type Citation } from './citation.js';
import { answerToText, composeAnswer, composeNotStated, composeOutOfScope, withCaveat, type AnswerDoc } from './compose.js';
import { detectIntent, isFollowUp, type Intent } from './intent.js';
import type { LlmAnswerer } from './llm.js';

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
  logger?: Logger;
  /** Runs network I/O outside the caller's turn (the engine's turns: other users keep being served). */
  outside?: <T>(io: () => Promise<T>) => Promise<T>;
}

export class Assistant {
  private readonly serviceTerms: string[];
  private readonly parts: HandbookParts;

  constructor(
    readonly index: LoadedIndex,
    private readonly options: AssistantOptions = {},
  ) {
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
    return this.index.manifest.embedder.startsWith('openai:');
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

  async ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    const intent = options.intent ?? this.intentOf(question);
    const { previous } = options;
    const followUp = previous && isFollowUp(question);
    const searchedFor = followUp ? `${previous.question}\n${question}` : question;
    const { kb } = this.index;
    // remote embeddings are a network call: wait for them outside the engine's turn
    const searchOptions: SearchOptions = { ...options.search, ...(followUp ? { context: previous.question } : {}) };
    const run = (): ReturnType<typeof this.index.search.search> => this.index.search.search(question, 8, searchOptions);
    const result = await (this.remoteEmbeddings ? this.outside(run) : run());
    const { hits } = result;
    const decision = decideScope(result, this.index.scope, this.parts);
    // only a question is judged: a flow's request (「チェックリストに回答したい」) is never refused
    const scope: ScopeOutcome = intent === 'question' ? decision.outcome : { kind: 'answer' };
    const done = (answer: AnswerDoc, usedLlm = false): AskResult => ({
      intent,
      scope,
      outOfScope: isOutOfScope(scope),
      outOfScopeProbability: decision.probability,
      answer,
      text: answerToText(answer, false),
      citations: answer.citations,
      hits,
      searchedFor,
      usedLlm,
    });
    if (scope.kind === 'refuse') return done(composeOutOfScope(kb, hits, scope.missing));
    if (scope.kind === 'not_stated') {
      // what the documents say about the thing asked about: its own passages, never another's fact
      const about = new Set(result.fact?.passageIds ?? []);
      const own = (await this.index.search.search(question, 40, { ...searchOptions, weights: { ...(options.search?.weights ?? DEFAULT_WEIGHTS), dense: 0 } })).hits.filter((h) => about.has(h.passage.id));
      return done(composeNotStated(kb, question, own, scope, this.bigramWeight));
    }
    let answer = composeAnswer(kb, question, hits, this.bigramWeight);
    if (result.definition && result.definition.term !== result.definition.full) {
      answer = { ...answer, note: `「${result.definition.term}」は「${result.definition.full}」のことです。資料での紹介は次のとおりです。` };
    }
    if (scope.kind === 'caveat') answer = withCaveat(answer);
    if (this.options.llm && intent === 'question') {
      const top = hits.slice(0, MAX_CITATIONS);
      const model = this.options.llm;
      const llm = await this.outside(() => model.answer(question, top, followUp ? previous.question : undefined));
      if (llm) {
        const cited: Citation[] = (llm.cited.length ? llm.cited : top.map((_, i) => i).slice(0, 3)).map((i) => citationOf(kb, top[i]!.passage));
        answer = {
          heading: llm.refused ? '資料に答えが見つかりませんでした' : `${top[0]!.passage.sectionTitle}`,
          lead: llm.text.split(/\n+/).filter(Boolean),
          sections: [{ title: 'ご注意', lines: ['資料をもとに AI が作成した回答です。必ず出典の原文を確認してください。'] }],
          citations: cited,
          suggestions: answer.suggestions,
        };
        return done(answer, true);
      }
    }
    return done(answer);
  }
}
