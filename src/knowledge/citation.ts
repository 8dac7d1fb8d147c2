/**
 * Citations: where an answer comes from, down to the document, section and page, and how a quote
 * is written in Japanese. Part of the knowledge layer because the engine's reply model, the
 * answer store and every feature that cites a passage share it.
 */
import type { KnowledgeBase } from './load.js';
import type { Passage } from './passage.js';

export interface Citation {
  /** Source document file name (e.g. 000_15280890141a4eda.txt). */
  source: string;
  /** Section title. */
  title: string;
  /** Handbook page, or null for unpaged documents. */
  page: number | null;
  /** The cited passage (at most 600 characters). */
  text: string;
  /** Document title (short), edition and date: which edition the quote is from. */
  document: string;
  edition: string | null;
  date: string;
  passageId: string;
}

export const MAX_CITATIONS = 5;

export function citationOf(kb: Pick<KnowledgeBase, 'documents'>, p: Passage): Citation {
  const doc = kb.documents.find((d) => d.header.id === p.docId);
  return {
    source: p.source,
    title: p.sectionTitle,
    page: p.page,
    text: p.text,
    document: doc?.header.shortTitle ?? doc?.header.title ?? p.docId,
    edition: doc?.header.edition ?? null,
    date: doc?.header.date ?? '',
    passageId: p.id,
  };
}

/** 「都道府県PF構築の手引き Vol.2（令和8年3月）P.32「Q6 …」」: one line for a citation. */
export function citationLabel(c: Citation): string {
  const page = c.page !== null ? ` P.${c.page}` : '';
  return `${c.document}（${c.date}）${page}${quoteJa(c.title)}`;
}

/**
 * Text put inside Japanese quotation marks: quotation marks inside become 『』, so a quote of
 * 「…「ツドレバ」…」 reads 「…『ツドレバ』…」, and a text already wholly in 「」 is not wrapped twice.
 */
export function quoteJa(text: string): string {
  const inner = /^「[^「」]*」$/.test(text) ? text.slice(1, -1) : text;
  return `「${inner.replace(/「/g, '『').replace(/」/g, '』')}」`;
}
