/**
 * Structure-aware ranking signals. The handbook is organised as Q&A, steps, functions and cases,
 * and users refer to that structure directly (「ステップ2-2」「Q6」「P.16」「事例」「座談会」). These
 * signals use it: an explicit reference lifts the section it names, a cue word lifts passages of
 * the kind it names, and a mild prior prefers the handbook's answer-shaped sections over
 * conversation and bibliography when the text match is otherwise equal.
 */
import { normalizeForMatch } from '../knowledge/normalize.js';
import type { Passage, PassageKind } from '../knowledge/passage.js';
import type { PassageMeta } from './enrich.js';

/**
 * Prior per kind: Q&A, steps, functions and the checklist are written as answers; cases are
 * evidence; the round-table, references and notices mostly restate the rest in other words.
 */
export const KIND_PRIOR: Record<PassageKind, number> = {
  faq: 1.15,
  step: 1.1,
  function: 1.1,
  checklist: 1.1,
  case: 1.05,
  concept: 1.0,
  'faq-list': 0.9,
  overview: 0.85,
  section: 1.0,
  notice: 0.9,
  roundtable: 0.85,
  reference: 0.85,
  toc: 0.5,
  colophon: 0.5,
};

/** Words that say which part of the documents the user means. */
const KIND_CUES: { kind: PassageKind; pattern: RegExp }[] = [
  { kind: 'faq', pattern: /q&a|qa|faq|よくある質問|q\d/ },
  { kind: 'case', pattern: /事例|取組例|ケース|case|example/ },
  { kind: 'step', pattern: /ステップ|step|段階/ },
  { kind: 'function', pattern: /機能|第3章/ },
  { kind: 'checklist', pattern: /チェックリスト|checklist|設問|図6/ },
  { kind: 'roundtable', pattern: /座談会|有識者|委員|round.?table/ },
  { kind: 'reference', pattern: /参考資料|reference|出典|文献/ },
];

export interface ExplicitRefs {
  faq: Set<string>;
  steps: Set<string>;
  pages: Set<number>;
  kinds: Set<PassageKind>;
  /** Facets the question asks for (indexes into FACETS). */
  facets: Set<number>;
}

/**
 * Facets of a case or a function. The handbook writes each one under the same sub-headings
 * (実施の背景, 取組の実施手順, …の内容, 期待される成果・効果, 今後の展望, 活用方法), and a question often
 * asks for exactly one of them (「どうやって始めた？」「なぜ？」「効果は？」「今後は？」): the passages
 * written under that sub-heading come first among a section's passages.
 */
const FACETS: { asked: RegExp; heading: RegExp }[] = [
  { asked: /どうやって|どのように|どうすれば|どうしたら|どう進め|どう(選|決|集|探|作)|手順|やり方|進め方|流れ/, heading: /手順|方法|流れ|進め方|実践/ },
  { asked: /なぜ|なんで|どうして|背景|理由|きっかけ|経緯/, heading: /背景|経緯|目的/ },
  { asked: /効果|成果|メリット|意味(ある|あった|は)|よかった|良かった|変わった|影響|いいこと|何がいい/, heading: /効果|成果|影響|価値/ },
  { asked: /(何|なに)を(した|やった|する|やる)|何やった|内容|どんなこと/, heading: /内容|概要/ },
  { asked: /今後|これから|将来|この先/, heading: /今後|展望/ },
  { asked: /どう使|活用|使い方|使える|役立/, heading: /活用/ },
];
/** How much a passage written under the facet a question asks for is lifted. */
const FACET_BOOST = 1.2;

/** Lines of a passage that read as sub-headings: short, and not sentences. */
function headingLines(passage: Pick<Passage, 'text' | 'titlePath'>): string {
  return [passage.titlePath.at(-1) ?? '', ...passage.text.split('\n').filter((l) => l.length <= 30 && !/[。、]/.test(l))].join('\n');
}

/** The facets a passage is written under (indexes into FACETS). */
export function passageFacets(passage: Pick<Passage, 'text' | 'titlePath'>): number[] {
  const headings = normalizeForMatch(headingLines(passage));
  return FACETS.flatMap((f, i) => (f.heading.test(headings) ? [i] : []));
}


/** Finds references such as 「Q6」「ステップ2-2」「P.16」「16ページ」 and kind cues. */
export function explicitRefs(query: string): ExplicitRefs {
  const q = normalizeForMatch(query);
  const refs: ExplicitRefs = { faq: new Set(), steps: new Set(), pages: new Set(), kinds: new Set(), facets: new Set() };
  for (const m of q.matchAll(/(?:^|[^a-z])q\s?(\d{1,2})(?!\d)/g)) refs.faq.add(`Q${Number(m[1])}`);
  for (const m of q.matchAll(/(?:ステップ|step)\s?([1-3１-３])(?:\s?[-ー‐の]\s?([12]))?/g)) {
    refs.steps.add(m[2] ? `${m[1]}-${m[2]}` : m[1]!);
  }
  // 「ステップ2に進む目安は？」: the handbook says when to move on at the end of the step before
  // (「…になったら、ステップ2に進んでください」 closes ステップ1)
  const advance = /(?:ステップ|step)\s?([23])\s?(?:に|へ)\s?(?:進|移|行)/.exec(q);
  if (advance) {
    refs.steps.delete(advance[1]!);
    refs.steps.add(String(Number(advance[1]) - 1));
  }
  for (const m of q.matchAll(/(?:p\.?\s?|ページ\s?)(\d{1,2})|(\d{1,2})\s?(?:ページ|頁)/g)) refs.pages.add(Number(m[1] ?? m[2]));
  for (const c of KIND_CUES) if (c.pattern.test(q)) refs.kinds.add(c.kind);
  FACETS.forEach((f, i) => f.asked.test(q) && refs.facets.add(i));
  return refs;
}

/** Multiplier for a passage given the references found in the query. */
export function structureBoost(passage: Passage, meta: PassageMeta | undefined, refs: ExplicitRefs): number {
  let boost = KIND_PRIOR[passage.kind];
  if (meta?.faqId && refs.faq.has(meta.faqId)) boost *= 2;
  if (meta?.stepId) {
    const step = meta.stepId.replace('step-', '');
    const sub = /step-(\d)-(\d)/.exec(passage.sectionId);
    const own = sub ? `${sub[1]}-${sub[2]}` : undefined;
    if (refs.steps.has(step) || (own && refs.steps.has(own))) boost *= 2;
    else if ([...refs.steps].some((s) => s.startsWith(step))) boost *= 1.7;
    else if (refs.steps.size) boost *= 0.8;
  }
  if (passage.page !== null && refs.pages.has(passage.page)) boost *= 1.5;
  if (refs.kinds.has(passage.kind)) boost *= 1.3;
  if (meta?.facets.some((f) => refs.facets.has(f))) boost *= FACET_BOOST;
  return boost;
}
