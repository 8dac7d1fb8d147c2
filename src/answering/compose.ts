/**
 * The offline answer: composed from the best passages and the structured records behind them,
 * without a language model. A Q&A hit shows its 大事な視点 and 具体的な解決例 with its 詳しくは
 * pages; a case hit its place, actors and key facts; a step or function hit what it is for and
 * what to do next. Every sentence shown is either quoted from the documents or a label.
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import type { CaseRecord, Faq, PlatformFunction, Step } from '../knowledge/schema.js';
import type { SearchHit } from '../retrieval/search.js';
import { citationLabel, citationOf, MAX_CITATIONS, quoteJa, type Citation } from '../knowledge/citation.js';
import type { FactKind, PlaceKind } from '../retrieval/facts.js';
import { bestSentences, plainHeading } from './sentences.js';
import { ANSWERING } from '../messages/answering.js';
import { MENU } from '../messages/menu.js';

export interface AnswerSection {
  title: string;
  lines: string[];
}

/** A platform-neutral answer: adapters render it as blocks, embeds or plain text. */
export interface AnswerDoc {
  heading: string;
  /** The bot's own words about the answer (a caveat, why a fact is missing): never shown as a quote. */
  note?: string;
  /** Text a language model wrote from the cited passages: shown as plain text marked as generated, never as a quote. */
  generated?: string[];
  /** Quoted sentences that answer the question most directly. */
  lead: string[];
  sections: AnswerSection[];
  citations: Citation[];
  /** Commands worth trying next (e.g. 「/pf-provider」 after a 多様な主体リスト answer). */
  suggestions: { label: string; command: string }[];
}

const page = (p: number | null | undefined): string => (p ? `（P.${p}）` : '');
const MAX_SOLUTIONS = 4;

function faqSections(faq: Faq, question: string): AnswerSection[] {
  // the solutions most related to the question, kept in the handbook's order
  const chosen = new Set(faq.solutions.length > MAX_SOLUTIONS ? bestSentences(question, faq.solutions, MAX_SOLUTIONS, undefined, { quotable: false }) : faq.solutions);
  const solutions = faq.solutions.filter((s) => chosen.has(s) || [...chosen].some((c) => s.includes(c)));
  const sections: AnswerSection[] = [{ title: ANSWERING.keyPoints, lines: faq.keyPoints }];
  if (solutions.length) {
    const rest = faq.solutions.length - solutions.length;
    sections.push({ title: ANSWERING.solutions, lines: rest > 0 ? [...solutions, ANSWERING.moreSolutions(rest, faq.number)] : solutions });
  }
  if (faq.details.length) sections.push({ title: ANSWERING.details, lines: faq.details.map((d) => `${d.title}${page(d.page)}`) });
  return sections;
}

function caseSections(kb: KnowledgeBase, c: CaseRecord): AnswerSection[] {
  const fns = c.functions.map((id) => kb.functions.find((f) => f.id === id)).filter((f): f is PlatformFunction => Boolean(f));
  return [
    { title: ANSWERING.placeAndActors, lines: [`${c.place}${c.placeNote ? `（${c.placeNote}）` : ''}`, ANSWERING.actors(c.actors.join('、'))] },
    { title: ANSWERING.summary, lines: [c.summary] },
    { title: ANSWERING.facts, lines: c.facts },
    ...(fns.length ? [{ title: ANSWERING.relatedFunctions, lines: fns.map((f) => `${f.name}${page(f.page)}`) }] : []),
  ];
}

function stepSections(kb: KnowledgeBase, s: Step): AnswerSection[] {
  const fns = kb.functions.filter((f) => f.targetSteps.includes(s.number));
  return [
    { title: ANSWERING.whenToUse, lines: [s.startWhen] },
    { title: ANSWERING.aim, lines: [s.purpose] },
    ...(s.subSteps.length ? [{ title: ANSWERING.howTo, lines: s.subSteps.map((x) => `${x.action}${page(x.page)}`) }] : []),
    { title: ANSWERING.doneWhen, lines: [s.doneWhen] },
    { title: ANSWERING.stepFunctions, lines: fns.map((f) => `${f.name}${page(f.page)}`) },
  ];
}

function functionSections(kb: KnowledgeBase, f: PlatformFunction): AnswerSection[] {
  const values = kb.functionValues.filter((v) => f.matrix[v.id] === 'main').map((v) => v.label);
  const cases = f.exampleCases.map((id) => kb.cases.find((c) => c.id === id)).filter((c): c is CaseRecord => Boolean(c));
  return [
    { title: ANSWERING.aim, lines: [f.lead] },
    { title: ANSWERING.mainValues, lines: [f.value, ...(values.length ? [ANSWERING.valuesMarked(values.join('／'))] : [])] },
    { title: ANSWERING.mainSteps, lines: [f.targetSteps.map((n) => ANSWERING.stepNumber(n)).join('・')] },
    ...(cases.length ? [{ title: ANSWERING.cases, lines: cases.map((c) => `${c.place}：${c.title}${page(c.page)}`) }] : []),
  ];
}

/** Composes the offline answer for an in-scope question. */
export function composeAnswer(kb: KnowledgeBase, question: string, hits: SearchHit[], weight?: (bigram: string) => number): AnswerDoc {
  const doc = composeFromHits(kb, question, hits, weight);
  return { ...doc, heading: plainHeading(doc.heading) };
}

/**
 * One citation per place shown: passages of one section on one page print the same label
 * (「P.22「事例① プラットフォームの全体像」」 three times), so a list shown to users keeps the first of
 * them. The answer itself keeps every cited passage (the ask contract and the evaluation read them).
 */
export function distinctCitations(citations: readonly Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const label = citationLabel(c);
    if (seen.has(label)) return false;
    seen.add(label);
    return true;
  });
}

function composeFromHits(kb: KnowledgeBase, question: string, hits: SearchHit[], weight?: (bigram: string) => number): AnswerDoc {
  const citations = hits.slice(0, MAX_CITATIONS).map((h) => citationOf(kb, h.passage));
  const top = hits[0];
  if (!top) return { heading: ANSWERING.nothingFound, lead: [], sections: [], citations: [], suggestions: [] };
  const lead = bestSentences(question, hits.slice(0, 2).map((h) => h.passage.text.split('\n').slice(h.passage.headingLines).join('\n')), 2, weight);
  const meta = top.meta;
  const suggestions: AnswerDoc['suggestions'] = [];
  const faq = meta.faqId ? kb.faq.find((f) => f.id === meta.faqId) : undefined;
  if (faq) {
    suggestions.push({ label: ANSWERING.openFaq(faq.number), command: `/pf-faq ${faq.number}` });
    return { heading: `Q${faq.number} ${faq.question}${page(faq.page)}`, lead, sections: faqSections(faq, question), citations, suggestions };
  }
  const c = meta.caseIds.map((id) => kb.cases.find((x) => x.id === id)).find((x): x is CaseRecord => Boolean(x));
  if (c) {
    suggestions.push({ label: ANSWERING.casesNearby, command: `/pf-case ${c.prefecture ?? c.place}` });
    return { heading: `${c.place}｜${c.title}${page(c.page)}`, lead, sections: caseSections(kb, c), citations, suggestions };
  }
  const fn = meta.functionId ? kb.functions.find((f) => f.id === meta.functionId) : undefined;
  if (fn) {
    if (fn.id === 'provider-list') suggestions.push({ label: ANSWERING.findProviders, command: '/pf-provider' });
    suggestions.push({ label: ANSWERING.functionCases, command: `/pf-case ${fn.shortName}` });
    return { heading: `${fn.name}${page(fn.page)}`, lead, sections: functionSections(kb, fn), citations, suggestions };
  }
  const step = meta.stepId ? kb.steps.find((s) => s.id === meta.stepId) : undefined;
  if (step && top.passage.kind !== 'checklist') {
    suggestions.push({ label: ANSWERING.diagnoseStep, command: '/pf-step' });
    return { heading: ANSWERING.stepHeading(step.number, step.title, page(step.page)), lead, sections: stepSections(kb, step), citations, suggestions };
  }
  if (top.passage.kind === 'checklist' || top.passage.sectionId === 'step-1-1') {
    suggestions.push({ label: ANSWERING.answerChecklist, command: '/pf-checklist' });
  }
  const extra = bestSentences(question, hits.slice(0, 3).map((h) => h.passage.text), 4, weight).filter((s) => !lead.includes(s));
  return {
    heading: `${top.passage.sectionTitle}${page(top.passage.page)}`,
    lead,
    sections: extra.length ? [{ title: ANSWERING.relatedText, lines: extra }] : [],
    citations,
    suggestions,
  };
}

/**
 * A weak match: the nearest passages, with a note that they may not answer exactly, naming the
 * question's terms that no document writes (when there are any) so the user sees why.
 */
export function withCaveat(doc: AnswerDoc, unwritten: readonly string[] = []): AnswerDoc {
  return { ...doc, note: unwritten.length ? ANSWERING.caveatUnwritten(unwritten.map((t) => `「${t}」`).join('')) : ANSWERING.caveat };
}

/**
 * A fact the documents do not state about what they name: says so, then shows what they do say
 * about it, with citations (never a fact about something else in its place).
 */
export function composeNotStated(
  kb: KnowledgeBase,
  question: string,
  hits: SearchHit[],
  outcome: { fact: FactKind; place?: PlaceKind; entity: string; unwritten?: boolean },
  weight?: (bigram: string) => number,
): AnswerDoc {
  // 「どこの市町村」 asks for a town's name, not a person's
  const label = outcome.place ? ANSWERING.placeLabels[outcome.place] : ANSWERING.factLabels[outcome.fact];
  if (outcome.unwritten) {
    // nothing is about a term no document writes: the nearest Q&A and the commands, as for a refusal
    return { ...composeOutOfScope(kb, hits), heading: ANSWERING.notStatedUnwrittenHeading(outcome.entity), note: ANSWERING.notStatedUnwrittenNote(outcome.entity, label) };
  }
  const about = composeAnswer(kb, question, hits, weight);
  return {
    ...about,
    heading: ANSWERING.notStatedHeading(outcome.entity, label),
    note: ANSWERING.notStatedNote(outcome.entity, label),
  };
}

/** The reply when the documents do not answer: says so, and offers the nearest topics and commands. */
export function composeOutOfScope(kb: KnowledgeBase, nearest: SearchHit[], missing: string[] = []): AnswerDoc {
  const faqs = [...new Set(nearest.map((h) => h.meta.faqId).filter((x): x is string => Boolean(x)))]
    .slice(0, 3)
    .map((id) => kb.faq.find((f) => f.id === id)!)
    .filter(Boolean);
  const lines = faqs.length ? faqs.map((f) => `Q${f.number} ${f.question}${page(f.page)}（/pf-faq ${f.number}）`) : kb.faq.slice(0, 3).map((f) => `Q${f.number} ${f.question}（/pf-faq ${f.number}）`);
  return {
    heading: missing.length ? ANSWERING.missingHeading(missing.join('・')) : ANSWERING.outOfScopeHeading,
    note: missing.length
      ? ANSWERING.missingNote(kb.faq.length, Math.max(...kb.passages.map((p) => p.page ?? 0)))
      : ANSWERING.outOfScopeNote,
    lead: [],
    sections: [
      { title: ANSWERING.nearestFaq, lines },
      {
        title: ANSWERING.commandsTitle,
        lines: ANSWERING.commands(kb.faq.length),
      },
    ],
    citations: [],
    suggestions: [{ label: ANSWERING.handoffButton, command: 'handoff' }],
  };
}

/**
 * What chat shows for a greeting, a question about the assistant or a request for help: the menu
 * (src/menu.ts renders the same words as blocks), for callers that read an AnswerDoc (npm run ask).
 */
export function composeMenu(kb: Pick<KnowledgeBase, 'faq'>): AnswerDoc {
  return {
    heading: MENU.header,
    lead: [],
    note: MENU.greeting.join('\n'),
    sections: [{ title: ANSWERING.commandsTitle, lines: MENU.items(kb.faq.length).map(([command, what]) => `${command}: ${what}`) }],
    citations: [],
    suggestions: [],
  };
}

/** The label over generated text, on every platform. */
export const GENERATED_LABEL = ANSWERING.generatedLabel;

/** Plain-text rendering (terminal, the ask CLI, LLM fallbacks). */
export function answerToText(doc: AnswerDoc, withCitations = true): string {
  const out: string[] = [doc.heading];
  if (doc.note) out.push('', doc.note);
  if (doc.generated?.length) out.push('', GENERATED_LABEL, ...doc.generated);
  if (doc.lead.length) out.push('', ...doc.lead.map(quoteJa));
  for (const s of doc.sections) out.push('', `■ ${s.title}`, ...s.lines.map((l) => `・${l}`));
  if (withCitations && doc.citations.length) {
    out.push('', ANSWERING.sourcesColon);
    distinctCitations(doc.citations).forEach((c, i) => out.push(`[${i + 1}] ${c.document}${c.page ? ` P.${c.page}` : ''}${quoteJa(c.title)}`));
  }
  return out.join('\n');
}
