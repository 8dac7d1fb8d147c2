/**
 * Definitions. 「SCって何？」「包括って何の略？」「協議体とは？」 ask what a domain term means; the
 * glossary links such a term to the place the documents define or introduce it (a verbatim
 * quote), and that passage is the answer, whatever else the question's words match.
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import { fingerprint, normalizeForMatch } from '../knowledge/normalize.js';
import type { Passage } from '../knowledge/passage.js';
import { wordTokens } from './tokenize.js';

/** A question asking what something is or stands for. */
const DEFINITION_QUESTION = /って(何|なに|なん)|とは|の略|略称|意味|どういう(意味|もの|こと)|what\s+(is|are|does)|stands?\s+for|meaning/;

export function isDefinitionQuestion(query: string): boolean {
  return DEFINITION_QUESTION.test(normalizeForMatch(query));
}

/**
 * For every term of a glossary group that names its defining quote, the passages holding the
 * quote, keyed by the term's words joined with a space (a term the tokeniser splits needs all).
 */
export interface Definition {
  /** The term as the glossary writes it, and the group's full form (its first term). */
  term: string;
  full: string;
  /** Passages holding the defining quote. */
  passages: number[];
}

export function definitionTargets(kb: Pick<KnowledgeBase, 'glossary'>, passages: readonly Passage[]): Map<string, Definition> {
  const out = new Map<string, Definition>();
  for (const g of kb.glossary.groups) {
    if (!g.definition) continue;
    const quote = fingerprint(g.definition.quote);
    const indexes = passages.flatMap((p, i) => (p.docId === g.definition!.doc && fingerprint(p.text).includes(quote) ? [i] : []));
    if (!indexes.length) continue;
    for (const term of g.terms) {
      const key = wordTokens(term).join(' ');
      if (key) out.set(key, { term, full: g.terms[0]!, passages: [...new Set([...(out.get(key)?.passages ?? []), ...indexes])] });
    }
  }
  // a group that names a defined term another way (its English names: 地域包括支援センター,
  // community general support center) asks for the same definition
  for (const g of kb.glossary.groups) {
    if (g.definition) continue;
    const defined = g.terms.map((t) => out.get(wordTokens(t).join(' '))).find(Boolean);
    if (!defined) continue;
    for (const term of g.terms) {
      const key = wordTokens(term).join(' ');
      if (key && !out.has(key)) out.set(key, { ...defined, term });
    }
  }
  return out;
}

/** Whether the question's words include every word of a term key. */
export function namesTerm(key: string, words: ReadonlySet<string>): boolean {
  return key.split(' ').every((w) => words.has(w));
}
