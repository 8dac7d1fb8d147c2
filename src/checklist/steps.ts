/**
 * What each step of the checklist shows: the municipality choice, Q1's flowchart one question at a
 * time, Q2's free text, Q3 and Q4's multiple choice with その他, and the review before sending.
 */
import type { Block, Control, Reply } from '../engine/types.js';
import type { Ctx } from './context.js';
import { hasNo, MAX_FREE_TEXT, MAX_OTHER_TEXT } from './model.js';
import { act, type ChecklistState } from './state.js';
import { answerLines } from './summary.js';

const FOOTER: Control[] = [
  { kind: 'button', action: act('back'), label: '戻る' },
  { kind: 'button', action: act('cancel'), label: '中断する' },
];

export function municipalityName(ctx: Ctx, id?: string): string {
  return (id && ctx.services.municipalities.get(id)?.name) || '（市町村未設定）';
}

function header(ctx: Ctx, s: ChecklistState, label: string): Block[] {
  return [{ type: 'context', text: `市町村チェックリスト（手引き 図6・P.10）｜${municipalityName(ctx, s.municipalityId)}｜${label}` }];
}

/** Shows the current step. `hint` explains why an input was not accepted. */
export function renderStep(ctx: Ctx, s: ChecklistState, hint?: string): Reply {
  const t = ctx.services.kb.checklist;
  const blocks: Block[] = [];
  const hintBlock = (): void => {
    if (hint) blocks.push({ type: 'text', text: `⚠ ${hint}` });
  };
  switch (s.at) {
    case 'bind': {
      const list = ctx.services.municipalities.all(Boolean(ctx.services.config.municipalitiesFile));
      blocks.push({ type: 'header', text: '市町村チェックリスト（図6）' }, { type: 'text', text: 'はじめに、回答する市町村を選んでください。一度選ぶと、以後はその市町村の回答として保存されます（変更は都道府県の担当者に依頼してください）。' });
      hintBlock();
      if (list.length) {
        blocks.push({ type: 'actions', controls: [{ kind: 'select', action: act('bind'), placeholder: '市町村を選ぶ', options: list.slice(0, 100).map((m) => ({ label: m.name, value: m.id })) }] });
        blocks.push({ type: 'context', text: '名前を入力して探すこともできます（例: 行田市、行田、ぎょうだし）。' });
      } else {
        blocks.push({ type: 'text', text: '市町村名を入力してください（例: 行田市）。' });
      }
      blocks.push({ type: 'actions', controls: [{ kind: 'button', action: act('cancel'), label: 'やめる' }] });
      return { blocks };
    }
    case 'bind-reading':
      blocks.push({ type: 'text', text: `「${s.pendingName}」を新しく登録します。読みをひらがなで入力してください（例: ぎょうだし）。読みを登録しない場合は「スキップ」と入力してください。` });
      hintBlock();
      return { blocks: [...blocks, { type: 'actions', controls: [{ kind: 'button', action: act('skip-reading'), label: 'スキップ' }, ...FOOTER] }] };
    case 'q1a':
    case 'q1b':
    case 'q1c': {
      const i = ['q1a', 'q1b', 'q1c'].indexOf(s.at);
      const step = t.q1.steps[i]!;
      blocks.push(...header(ctx, s, `Q1（フローチャート ${i + 1}/3）`));
      if (i === 0) blocks.push({ type: 'text', text: `Q1 ${t.q1.prompt}` });
      else blocks.push({ type: 'context', text: '▼ 前の質問に「はい」と回答した方' });
      hintBlock();
      blocks.push(
        { type: 'text', text: step.text },
        { type: 'actions', controls: [{ kind: 'button', action: act(s.at), value: 'yes', label: 'はい', style: 'primary' }, { kind: 'button', action: act(s.at), value: 'no', label: 'いいえ' }, ...(i === 0 && !s.editing ? [{ kind: 'button' as const, action: act('cancel'), label: '中断する' }] : FOOTER)] },
      );
      return { blocks };
    }
    case 'q2':
      blocks.push(...header(ctx, s, 'Q2（自由回答）'), { type: 'text', text: `Q2 ${t.q2.prompt}` });
      hintBlock();
      blocks.push(
        { type: 'context', text: `このまま文章を送るか、「入力する」から記入してください（${MAX_FREE_TEXT}文字まで）。` },
        { type: 'actions', controls: [{ kind: 'button', action: act('q2-form'), label: '入力する', style: 'primary' }, ...FOOTER] },
      );
      return { blocks };
    case 'q3':
    case 'q4': {
      const q = t[s.at];
      blocks.push(...header(ctx, s, `${s.at.toUpperCase()}（複数回答）`), { type: 'text', text: `${s.at.toUpperCase()} ${q.prompt}` });
      blocks.push({ type: 'list', items: q.options.map((o, i) => `${i + 1}. ${o.text}`) });
      hintBlock();
      const initial = s.answers[s.at]?.options;
      blocks.push({
        type: 'actions',
        controls: [{ kind: 'select', action: act(s.at), placeholder: '当てはまるものをすべて選ぶ', multi: true, minValues: 1, maxValues: q.options.length, options: q.options.map((o) => ({ label: o.text.slice(0, 75), value: o.id })), ...(initial?.length ? { initial } : {}) }],
      });
      blocks.push({ type: 'context', text: '番号をカンマ区切りで送っても回答できます（例: 1,3）。' + (s.at === 'q3' ? '当てはまるものがなければ「該当なし」を押してください。' : '') });
      blocks.push({ type: 'actions', controls: [...(s.at === 'q3' ? [{ kind: 'button' as const, action: act('q3-none'), label: '該当なし' }] : []), ...FOOTER] });
      return { blocks };
    }
    case 'q3other':
    case 'q4other':
      blocks.push(...header(ctx, s, `${s.at.slice(0, 2).toUpperCase()} その他`), { type: 'text', text: `「その他」の内容を入力してください（${MAX_OTHER_TEXT}文字まで）。` });
      hintBlock();
      blocks.push({ type: 'actions', controls: [{ kind: 'button', action: act(`${s.at}-form`), label: '入力する', style: 'primary' }, ...FOOTER] });
      return { blocks };
    case 'review': {
      blocks.push({ type: 'header', text: `送信前の確認｜${municipalityName(ctx, s.municipalityId)}` });
      hintBlock();
      blocks.push({ type: 'fields', fields: answerLines(ctx.services.kb, s.answers) });
      blocks.push({ type: 'text', text: '内容がよければ「送信する」を押してください。直したい質問は「変更」から選べます。' });
      blocks.push({
        type: 'actions',
        controls: [
          { kind: 'button', action: act('submit'), label: '送信する', style: 'primary' },
          { kind: 'select', action: act('edit'), placeholder: '変更する質問を選ぶ', options: [{ label: 'Q1 現状・課題', value: 'q1' }, ...(hasNo(s.answers.q1) ? [{ label: 'Q2 自由回答', value: 'q2' }] : []), { label: 'Q3 困っていること', value: 'q3' }, { label: 'Q4 受けたい支援', value: 'q4' }] },
          { kind: 'button', action: act('cancel'), label: '中断する' },
        ],
      });
      return { blocks };
    }
  }
}

export function freeTextForm(s: ChecklistState, ctx: Ctx): Reply {
  const t = ctx.services.kb.checklist;
  const q2 = s.at === 'q2';
  return {
    blocks: [{ type: 'text', text: q2 ? 'Q2 を入力してください。' : '「その他」の内容を入力してください。' }],
    ephemeral: true,
    form: {
      id: act(s.at),
      title: q2 ? 'Q2 自由回答' : 'その他の内容',
      submitLabel: '次へ',
      fields: [{ id: 'text', label: q2 ? t.q2.prompt.slice(0, 45) : 'その他の内容', kind: q2 ? 'textarea' : 'text', required: true, maxLength: q2 ? MAX_FREE_TEXT : MAX_OTHER_TEXT, ...(q2 && s.answers.q2 ? { initial: s.answers.q2 } : {}) }],
    },
  };
}

/** The step after Q1 is complete: Q2 if there was a no, else Q3 (or back to review when editing). */
