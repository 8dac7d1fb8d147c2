/**
 * What the municipality sees after sending: its stage (from the answers the definition names),
 * what the handbook suggests for that stage and for each option chosen that carries a hint, and
 * how each option mapped to a platform function leads to that function (with pages).
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import type { KnowledgeRef } from '../knowledge/schema.js';
import type { Block } from '../engine/types.js';
import type { ChecklistDefinition, QuestionDef } from './definition/schema.js';
import { askedQuestions, chainOf, chainPath, choiceOf, groupOf, stageOf, type Answers } from './model.js';
import { CHECKLIST } from '../messages/checklist.js';

export function refLabel(kb: KnowledgeBase, r: KnowledgeRef): string {
  switch (r.kind) {
    case 'faq': {
      const f = kb.faq.find((x) => x.id === r.id)!;
      return `Q${f.number} ${f.question}（P.${f.page}）`;
    }
    case 'function': {
      const f = kb.functions.find((x) => x.id === r.id)!;
      return `${f.name}（P.${f.page}）`;
    }
    case 'step': {
      const s = kb.steps.find((x) => x.id === r.id)!;
      return CHECKLIST.stepRef(s.number, s.title, s.page);
    }
    case 'case': {
      const c = kb.cases.find((x) => x.id === r.id)!;
      return `${c.place}：${c.title}${c.page ? `（P.${c.page}）` : ''}`;
    }
  }
}

export const yesNo = (v?: string): string => (v === 'yes' ? CHECKLIST.yes : v === 'no' ? CHECKLIST.no : '—');

/** One answer as text (a choice's option texts, その他 with its content). */
export function answerText(q: QuestionDef, a: Answers): string {
  switch (q.kind) {
    case 'yesno-chain':
      return chainPath(q, a).map((s) => yesNo(chainOf(a, q)[s])).join('→');
    case 'text':
      return typeof a[q.id] === 'string' ? (a[q.id] as string) || CHECKLIST.blank : CHECKLIST.notAnswered;
    case 'number':
      return typeof a[q.id] === 'number' ? `${String(a[q.id])}${q.unit ?? ''}` : CHECKLIST.notAnswered;
    default: {
      const c = choiceOf(a, q);
      if (!c) return CHECKLIST.notAnswered;
      if (!c.options.length) return CHECKLIST.none;
      return c.options.map((id) => {
        const o = q.options.find((x) => x.id === id);
        return o?.freeText ? `${o.text}（${c.other ?? ''}）` : (o?.text ?? id);
      }).join('／');
    }
  }
}

/** Lines describing the answers (complete or in progress), for the review and the prefecture's drill-down. */
export function answerLines(def: ChecklistDefinition, a: Answers): { label: string; value: string }[] {
  const lines: { label: string; value: string }[] = [];
  for (const q of askedQuestions(def, a)) {
    if (q.kind === 'yesno-chain') {
      const c = chainOf(a, q);
      chainPath(q, a).forEach((s, i) => lines.push({ label: `${q.label}-${i + 1} ${q.steps.find((x) => x.id === s)!.text}`, value: yesNo(c[s]) }));
    } else if (q.kind === 'text' && a[q.id] === undefined) {
      continue;
    } else lines.push({ label: `${q.label} ${q.title}`, value: answerText(q, a) });
  }
  return lines;
}

/** The summary after sending (or at the end of a preview). */
export function summaryBlocks(kb: KnowledgeBase, def: ChecklistDefinition, municipality: string, version: number | null, a: Answers): Block[] {
  const stage = stageOf(def, a);
  const group = groupOf(def, a);
  const blocks: Block[] = [
    { type: 'header', text: version === null ? CHECKLIST.previewSummary : CHECKLIST.received(municipality, version) },
  ];
  const fields = [...(stage ? [{ label: CHECKLIST.summaryStage, value: stage.label }] : []), ...(group ? [{ label: CHECKLIST.summaryGroup, value: group.label }] : []), { label: CHECKLIST.definitionVersion, value: def.version }];
  blocks.push({ type: 'fields', fields });
  if (stage) blocks.push({ type: 'list', title: CHECKLIST.summaryAboutStage(stage.label), items: [stage.advice, ...stage.refs.map((r) => CHECKLIST.reference(refLabel(kb, r)))] });
  for (const q of askedQuestions(def, a)) {
    if (q.kind !== 'multiple' && q.kind !== 'single') continue;
    const c = choiceOf(a, q);
    if (!c) continue;
    const hints = q.options.filter((o) => o.advice && c.options.includes(o.id));
    if (hints.length) {
      blocks.push({ type: 'list', title: CHECKLIST.summaryHints(q.label, q.title), items: hints.map((o) => `「${o.freeText ? `${o.text}: ${c.other ?? ''}` : o.text}」→ ${o.advice}`) });
    }
    const supports = q.options.filter((o) => o.function && c.options.includes(o.id));
    if (supports.length) {
      blocks.push({
        type: 'list',
        title: CHECKLIST.summarySupport(q.label),
        items: supports.map((o) => {
          const fn = kb.functions.find((f) => f.id === o.function)!;
          return `${o.text} → ${fn.name}（P.${fn.page}）: ${fn.lead}`;
        }),
      });
    } else if (q.options.some((o) => o.function)) {
      const declined = q.options.find((o) => o.exclusive && c.options.includes(o.id));
      if (declined) blocks.push({ type: 'text', text: CHECKLIST.summaryDeclined(declined.text) });
    }
  }
  if (version !== null) blocks.push({ type: 'context', text: CHECKLIST.summaryFooter(version + 1) });
  return blocks;
}
