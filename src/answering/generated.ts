/**
 * The generated answer as the user sees it: the model's text with its citations renumbered to the
 * source list shown, the heading from the passage it cites first, the text marked as generated
 * (never in the 「」 of verbatim quotes), or the reason it cannot be shown (the offline answer
 * goes out instead).
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import type { SearchHit } from '../retrieval/search.js';
import { citationOf } from '../knowledge/citation.js';
import { composeAnswer, type AnswerDoc } from './compose.js';
import { SYSTEM_PROMPT } from './llm.js';
import { echoesInstructions, isRefusal, renumberCitations, usesKeyTerms } from './llm-output.js';
import { RERANK_PROMPT } from './llm-rerank.js';
import { REWRITE_PROMPT } from './llm-rewrite.js';
import { ANSWERING } from '../messages/answering.js';

/** The refusal the instructions ask for: the model may say it, it is not an echo. */
export const MODEL_REFUSAL = '資料には、このご質問への答えとなる記述がありません。';

export const GENERATED_NOTE = ANSWERING.generatedNote;
export const GENERATED_CAVEAT_NOTE = ANSWERING.generatedCaveat;

export type Shaped =
  | { kind: 'answer'; answer: AnswerDoc }
  | { kind: 'refusal' }
  /** Not shown: why (for the log). */
  | { kind: 'rejected'; reason: string };

export interface ShapeInput {
  kb: KnowledgeBase;
  question: string;
  /** The passages the model was given, numbered [1].. in this order. */
  given: SearchHit[];
  raw: string;
  caveat: boolean;
  /** Whether a noun is one of the documents' specific terms (not 「市町村」). */
  isKeyTerm: (noun: string) => boolean;
}

export function shapeGenerated(input: ShapeInput): Shaped {
  const { kb, question, given, raw } = input;
  // the echo first: echoed instructions contain the refusal sentence too
  if (echoesInstructions(raw, [SYSTEM_PROMPT, RERANK_PROMPT, REWRITE_PROMPT], [MODEL_REFUSAL])) return { kind: 'rejected', reason: '指示文を再現していました' };
  if (isRefusal(raw)) return { kind: 'refusal' };
  const { text, order } = renumberCitations(raw, given.length);
  if (!order.length || !text) return { kind: 'rejected', reason: '資料の番号を示していませんでした' };
  if (!usesKeyTerms(text, given.map((h) => h.passage.text), input.isKeyTerm)) return { kind: 'rejected', reason: '資料の重要な語を含んでいませんでした' };
  const cited = order.map((i) => given[i]!);
  // the sources the text cites come first, as [1] [2] …; the other passages given follow
  const sources = [...cited, ...given.filter((_, i) => !order.includes(i))];
  const about = composeAnswer(kb, question, sources);
  return {
    kind: 'answer',
    answer: {
      heading: composeAnswer(kb, question, [cited[0]!]).heading,
      note: input.caveat ? GENERATED_CAVEAT_NOTE : GENERATED_NOTE,
      generated: text.split('\n').filter(Boolean),
      lead: [],
      sections: [],
      citations: sources.map((h) => citationOf(kb, h.passage)),
      suggestions: about.suggestions,
    },
  };
}
