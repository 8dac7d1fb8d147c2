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
      return `ステップ${s.number} ${s.title}（P.${s.page}）`;
    }
    case 'case': {
      const c = kb.cases.find((x) => x.id === r.id)!;
      return `${c.place}：${c.title}${c.page ? `（P.${c.page}）` : ''}`;
    }
  }
}

export const yesNo = (v?: string): string => (v === 'yes' ? 'はい' : v === 'no' ? 'いいえ' : '—');

/** One answer as text (a choice's option texts, その他 with its content). */
export function answerText(q: QuestionDef, a: Answers): string {
  switch (q.kind) {
    case 'yesno-chain':
      return chainPath(q, a).map((s) => yesNo(chainOf(a, q)[s])).join('→');
    case 'text':
      return typeof a[q.id] === 'string' ? (a[q.id] as string) || '（未記入）' : '（未回答）';
    case 'number':
      return typeof a[q.id] === 'number' ? `${String(a[q.id])}${q.unit ?? ''}` : '（未回答）';
    default: {
      const c = choiceOf(a, q);
      if (!c) return '（未回答）';
      if (!c.options.length) return '該当なし';
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
    { type: 'header', text: version === null ? 'プレビュー: 送信するとこのまとめが表示されます（保存していません）' : `${municipality} のチェックリストを受け付けました（第${version}版）` },
  ];
  const fields = [...(stage ? [{ label: '回答から見た段階', value: stage.label }] : []), ...(group ? [{ label: '手引き Q4 の分類', value: group.label }] : []), { label: '設問の版', value: def.version }];
  blocks.push({ type: 'fields', fields });
  if (stage) blocks.push({ type: 'list', title: `この段階について（${stage.label}）`, items: [stage.advice, ...stage.refs.map((r) => `参考: ${refLabel(kb, r)}`)] });
  for (const q of askedQuestions(def, a)) {
    if (q.kind !== 'multiple' && q.kind !== 'single') continue;
    const c = choiceOf(a, q);
    if (!c) continue;
    const hints = q.options.filter((o) => o.advice && c.options.includes(o.id));
    if (hints.length) {
      blocks.push({ type: 'list', title: `${q.label} で選んだ${q.title}へのヒント`, items: hints.map((o) => `「${o.freeText ? `${o.text}: ${c.other ?? ''}` : o.text}」→ ${o.advice}`) });
    }
    const supports = q.options.filter((o) => o.function && c.options.includes(o.id));
    if (supports.length) {
      blocks.push({
        type: 'list',
        title: `${q.label} で希望した支援と、手引き第3章の機能`,
        items: supports.map((o) => {
          const fn = kb.functions.find((f) => f.id === o.function)!;
          return `${o.text} → ${fn.name}（P.${fn.page}）: ${fn.lead}`;
        }),
      });
    } else if (q.options.some((o) => o.function)) {
      const declined = q.options.find((o) => o.exclusive && c.options.includes(o.id));
      if (declined) blocks.push({ type: 'text', text: `「${declined.text}」とのご回答です。状況が変わったら、いつでも /pf-checklist で回答し直せます。` });
    }
  }
  if (version !== null) blocks.push({ type: 'context', text: `回答は都道府県の担当者に共有されます。もう一度回答すると第${version + 1}版として保存され、最新の版が集計に使われます。` });
  return blocks;
}
