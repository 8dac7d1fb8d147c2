/**
 * Asking the documents: retrieval, the out-of-scope decision, and the answer (offline, or from
 * the language model when one is configured, falling back to offline on any failure).
 */
import type { Logger } from '../logger.js';
import type { LoadedIndex } from '../retrieval/index-store.js';
import { countOffTopicCues, outOfScopeProbability, scopeFeatures } from '../retrieval/scope.js';
import type { SearchHit } from '../retrieval/search.js';
import { citationOf, MAX_CITATIONS, type Citation } from './citation.js';
import { answerToText, composeAnswer, composeOutOfScope, type AnswerDoc } from './compose.js';
import { detectIntent, isFollowUp, type Intent } from './intent.js';
import type { LlmAnswerer } from './llm.js';
import type { Turns } from '../engine/turns.js';

/** The previous turn of the same conversation, for follow-up questions. */
export interface PreviousTurn {
  question: string;
}

export interface AskResult {
  intent: Intent;
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
  /** The engine's turns: the assistant waits on the network outside its turn. */
  turns?: Turns;
}

export class Assistant {
  private readonly serviceTerms: string[];
  /** The pages the documents have (a question naming P.99 names nothing). */
  private readonly handbookPages: Set<number>;

  constructor(
    readonly index: LoadedIndex,
    private readonly options: AssistantOptions = {},
  ) {
    this.handbookPages = new Set(index.kb.passages.flatMap((p) => (p.page === null ? [] : [p.page])));
    this.serviceTerms = [
      ...index.kb.taxonomy.categories.flatMap((c) => [c.name, ...c.subcategories.map((s) => s.name.replace(/\(.*?\)/g, ''))]),
      '見守り', '移動販売', '買い物', '配食', '配達', '宅配', '送迎', '家事', '掃除', '居場所', 'カフェ', '体操', '運動', 'サロン', '通いの場', 'スマホ教室',
    ];
  }

  private get remoteEmbeddings(): boolean {
    return this.index.manifest.embedder.startsWith('openai:');
  }

  private outside<T>(io: () => Promise<T>): Promise<T> {
    return this.options.turns ? this.options.turns.outside(io) : io();
  }

  intentOf(text: string): Intent {
    return detectIntent(text, this.serviceTerms);
  }

  /** IDF of a bigram, for choosing the sentences to quote. */
  private readonly bigramWeight = (g: string): number => (this.index.search.lexical.bigrams.has(g) ? this.index.search.lexical.bigrams.idf(g) : 0);

  /**
   * Runs the offline path (search and composition, no language model) on the handbook's own Q&A
   * questions. The first questions after start-up otherwise pay for one-time work (ICU's word
   * dictionary, compiling the hot code) while users wait: under a burst of requests that pushed
   * Slack's acknowledgements towards their 3-second limit (bench/load.bench.ts).
   */
  async warmUp(): Promise<void> {
    for (const f of this.index.kb.faq) {
      const search = this.remoteEmbeddings ? this.index.lexicalSearch : this.index.search;
      composeAnswer(this.index.kb, f.question, (await search.search(f.question, 8)).hits, this.bigramWeight);
      await this.index.lexicalSearch.search(f.question, 5);
    }
  }

  async ask(question: string, previous?: PreviousTurn): Promise<AskResult> {
    const intent = this.intentOf(question);
    const followUp = previous && isFollowUp(question);
    const searchedFor = followUp ? `${previous.question}\n${question}` : question;
    const { kb } = this.index;
    const lexical = await this.index.lexicalSearch.search(searchedFor, 5);
    const probability = outOfScopeProbability(this.index.scope, scopeFeatures(lexical, countOffTopicCues(searchedFor, this.index.offTopicCues)));
    // a question that names a Q&A, a step or a page of the handbook (「ステップ2に進む目安は？」) is about
    // the handbook by construction, however few of its other words the documents use
    const faqExists = (q: string): boolean => kb.faq.some((f) => f.id.toUpperCase() === q);
    const namesPart = [...lexical.refs.faq].some(faqExists) || lexical.refs.steps.size > 0 || [...lexical.refs.pages].some((p) => this.handbookPages.has(p));
    // and one that names only parts the handbook does not have (Q20, P.99) is told so
    const missing = namesPart ? [] : [...[...lexical.refs.faq].filter((q) => !faqExists(q)), ...[...lexical.refs.pages].filter((p) => !this.handbookPages.has(p)).map((p) => `P.${p}`)];
    const outOfScope = intent === 'question' && ((probability >= this.index.scope.threshold && !namesPart) || missing.length > 0);
    // remote embeddings are a network call: wait for them outside the engine's turn
    const search = (): ReturnType<typeof this.index.search.search> => this.index.search.search(searchedFor, 8, lexical.analyzed);
    const hits = (await (this.remoteEmbeddings ? this.outside(search) : search())).hits;
    if (outOfScope) {
      const answer = composeOutOfScope(kb, hits, missing);
      return { intent, outOfScope, outOfScopeProbability: probability, answer, text: answerToText(answer, false), citations: [], hits, searchedFor, usedLlm: false };
    }
    let answer = composeAnswer(kb, question, hits, this.bigramWeight);
    let usedLlm = false;
    if (this.options.llm && intent === 'question') {
      const top = hits.slice(0, MAX_CITATIONS);
      const model = this.options.llm;
      const llm = await this.outside(() => model.answer(question, top, followUp ? previous.question : undefined));
      if (llm) {
        usedLlm = true;
        const cited: Citation[] = (llm.cited.length ? llm.cited : top.map((_, i) => i).slice(0, 3)).map((i) => citationOf(kb, top[i]!.passage));
        answer = {
          heading: llm.refused ? '資料に答えが見つかりませんでした' : `${top[0]!.passage.sectionTitle}`,
          lead: llm.text.split(/\n+/).filter(Boolean),
          sections: [{ title: 'ご注意', lines: ['資料をもとに AI が作成した回答です。必ず出典の原文を確認してください。'] }],
          citations: cited,
          suggestions: answer.suggestions,
        };
      }
    }
    return { intent, outOfScope, outOfScopeProbability: probability, answer, text: answerToText(answer, false), citations: answer.citations, hits, searchedFor, usedLlm };
  }
}
