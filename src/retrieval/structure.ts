/**
 * Structure-aware ranking signals. The handbook is organised as Q&A, steps, functions and cases,
 * and users refer to that structure directly (「ステップ2-2」「Q6」「P.16」「事例」「座談会」). These
 * signals use it: an explicit reference lifts the section it names, and a prior prefers the
 * handbook's answer-shaped sections over conversation and bibliography when the text match is
 * otherwise equal. The kind cues (「事例」「座談会」「Q&A」) no longer rank (their ablation measured
 * nothing); the scope decision still reads them (a question about the handbook's own parts).
 */
import { normalizeForMatch } from '../knowledge/normalize.js';
import type { Passage, PassageKind } from '../knowledge/passage.js';
import type { PassageMeta } from './enrich.js';

/**
 * How answer-shaped each kind of passage is (0..1): Q&A, steps, functions and the checklist are
 * written as answers; cases are evidence; the round-table, references and notices mostly restate
 * the rest in other words. The `prior` signal.
 */
export const KIND_PRIOR: Record<PassageKind, number> = {
  faq: 1,
  step: 0.9,
  function: 0.9,
  checklist: 0.9,
  case: 0.8,
  concept: 0.7,
  section: 0.7,
  'faq-list': 0.5,
  notice: 0.5,
  overview: 0.4,
  roundtable: 0.4,
  reference: 0.4,
  toc: 0,
  colophon: 0,
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
  { kind: 'notice', pattern: /通知|周知|最新情報|事務連絡|notice/ },
];

export interface ExplicitRefs {
  faq: Set<string>;
  steps: Set<string>;
  pages: Set<number>;
  kinds: Set<PassageKind>;
}

/** Finds references such as 「Q6」「ステップ2-2」「P.16」「16ページ」 and kind cues. */
export function explicitRefs(query: string): ExplicitRefs {
  const q = normalizeForMatch(query);
  const refs: ExplicitRefs = { faq: new Set(), steps: new Set(), pages: new Set(), kinds: new Set() };
  for (const m of q.matchAll(/(?:^|[^a-z])q\s?(\d{1,2})(?!\d)/g)) refs.faq.add(`Q${Number(m[1])}`);
  for (const m of q.matchAll(/(?:ステップ|step)\s?([1-3１-３])(?:\s?[-ー‐の]\s?([12]))?/g)) {
    refs.steps.add(m[2] ? `${m[1]}-${m[2]}` : m[1]!);
  }
  for (const m of q.matchAll(/(?:p\.?\s?|ページ\s?)(\d{1,2})|(\d{1,2})\s?(?:ページ|頁)/g)) refs.pages.add(Number(m[1] ?? m[2]));
  for (const c of KIND_CUES) if (c.pattern.test(q)) refs.kinds.add(c.kind);
  return refs;
}

/** The structure signals of a passage (see ranking/signals.ts for what each means). */
export interface StructureSignals {
  reference: number;
  prior: number;
}

/**
 * What the question's references say about a passage: 1 when it names the passage's Q&A, step
 * or page; 0.5 when it names a sub-step of the passage's step; -0.5 when it names only other
 * steps (「ステップ3の…」 is not about ステップ1); 0 when it names nothing.
 */
function referenceSignal(passage: Passage, meta: PassageMeta | undefined, refs: ExplicitRefs): number {
  if (meta?.faqId && refs.faq.has(meta.faqId)) return 1;
  if (passage.page !== null && refs.pages.has(passage.page)) return 1;
  if (meta?.stepId) {
    const step = meta.stepId.replace('step-', '');
    const sub = /step-(\d)-(\d)/.exec(passage.sectionId);
    const own = sub ? `${sub[1]}-${sub[2]}` : undefined;
    if (refs.steps.has(step) || (own && refs.steps.has(own))) return 1;
    if ([...refs.steps].some((s) => s.startsWith(step))) return 0.5;
    if (refs.steps.size) return -0.5;
  }
  return 0;
}

export function structureSignals(passage: Passage, meta: PassageMeta | undefined, refs: ExplicitRefs): StructureSignals {
  return {
    reference: referenceSignal(passage, meta, refs),
    prior: KIND_PRIOR[passage.kind],
  };
}
