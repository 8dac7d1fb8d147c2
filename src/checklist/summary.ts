/**
 * What the municipality sees after sending: its stage from Q1, what the handbook suggests for
 * that stage and for each difficulty chosen in Q3, and how each support chosen in Q4 maps to the
 * platform functions (with pages).
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import type { KnowledgeRef } from '../knowledge/schema.js';
import { groupOf, stageOf, type ChecklistAnswers } from './model.js';
import type { Block } from '../engine/types.js';

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

export function optionText(kb: KnowledgeBase, q: 'q3' | 'q4', id: string): string {
  return kb.checklist[q].options.find((o) => o.id === id)?.text ?? id;
}

/** Lines describing the answers, for review and for the prefecture's drill-down. */
/** Answers, complete or in progress. */
export interface DraftAnswers {
  q1: Partial<ChecklistAnswers['q1']>;
  q2?: string;
  q3?: ChecklistAnswers['q3'];
  q4?: ChecklistAnswers['q4'];
}

export function answerLines(kb: KnowledgeBase, a: DraftAnswers): { label: string; value: string }[] {
  const t = kb.checklist;
  const yn = (v?: string): string => (v === 'yes' ? 'はい' : v === 'no' ? 'いいえ' : '—');
  const choice = (q: 'q3' | 'q4'): string => {
    const c = a[q];
    if (!c) return '（未回答）';
    if (!c.options.length) return '該当なし';
    return c.options.map((o) => (o === 'other' ? `その他（${c.other ?? ''}）` : optionText(kb, q, o))).join('／');
  };
  return [
    { label: `Q1-1 ${t.q1.steps[0]!.text}`, value: yn(a.q1.q1a) },
    ...(a.q1.q1a === 'yes' ? [{ label: `Q1-2 ${t.q1.steps[1]!.text}`, value: yn(a.q1.q1b) }] : []),
    ...(a.q1.q1a === 'yes' && a.q1.q1b === 'yes' ? [{ label: `Q1-3 ${t.q1.steps[2]!.text}`, value: yn(a.q1.q1c) }] : []),
    ...(a.q2 !== undefined ? [{ label: 'Q2 「いいえ」の現状・課題', value: a.q2 || '（未記入）' }] : []),
    { label: 'Q3 困っていること', value: choice('q3') },
    { label: 'Q4 受けてみたい支援', value: choice('q4') },
  ];
}

export function summaryBlocks(kb: KnowledgeBase, municipality: string, version: number, a: ChecklistAnswers): Block[] {
  const t = kb.checklist;
  const stage = t.stages.find((s) => s.id === stageOf(a.q1))!;
  const group = t.groups.find((g) => g.id === groupOf(a))!;
  const blocks: Block[] = [
    { type: 'header', text: `${municipality} のチェックリストを受け付けました（第${version}版）` },
    { type: 'fields', fields: [{ label: 'Q1 から見た段階', value: stage.label }, { label: '手引き Q4 の分類', value: group.label }] },
    { type: 'list', title: `この段階について（${stage.label}）`, items: [stage.advice, ...stage.refs.map((r) => `参考: ${refLabel(kb, r)}`)] },
  ];
  const difficulties = a.q3.options.map((o) => t.difficultyAdvice.find((d) => d.option === o)).filter((d): d is NonNullable<typeof d> => Boolean(d));
  if (difficulties.length) {
    blocks.push({
      type: 'list',
      title: 'Q3 で選んだ困りごとへのヒント',
      items: difficulties.map((d) => `「${d.option === 'other' ? `その他: ${a.q3.other ?? ''}` : optionText(kb, 'q3', d.option)}」→ ${d.advice}`),
    });
  }
  const supports = a.q4.options.filter((o) => o !== 'other' && o !== 'no-support');
  if (supports.length) {
    blocks.push({
      type: 'list',
      title: 'Q4 で希望した支援と、手引き第3章の機能',
      items: supports.map((o) => {
        const opt = t.q4.options.find((x) => x.id === o)!;
        const fn = kb.functions.find((f) => f.id === opt.function)!;
        return `${opt.text} → ${fn.name}（P.${fn.page}）: ${fn.lead}`;
      }),
    });
  } else if (a.q4.options.includes('no-support')) {
    blocks.push({ type: 'text', text: '現時点では都道府県の支援を受ける想定はない、とのご回答です。状況が変わったら、いつでも /pf-checklist で回答し直せます。' });
  }
  blocks.push({ type: 'context', text: `回答は都道府県の担当者に共有されます。もう一度回答すると第${version + 1}版として保存され、最新の版が集計に使われます。` });
  return blocks;
}
