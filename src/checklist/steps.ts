/**
 * What each step of the checklist shows, from the definition in force: the municipality choice,
 * a yes/no chain one question at a time (図6 Q1's flowchart), free text, multiple or single choice
 * with その他, a number, and the review before sending.
 */
import type { Block, Control, Reply } from '../engine/types.js';
import type { Ctx } from './context.js';
import type { ChecklistDefinition, QuestionDef } from './definition/schema.js';
import { askedQuestions, choiceOf, otherLimit, questionOfStep } from './model.js';
import { act, type ChecklistState } from './state.js';
import { answerLines } from './summary.js';
import { MS } from '../messages/membership.js';

const FOOTER: Control[] = [
  { kind: 'button', action: act('back'), label: '戻る' },
  { kind: 'button', action: act('cancel'), label: '中断する' },
];

export function municipalityName(ctx: Ctx, id?: string): string {
  return (id && ctx.services.municipalities.get(id)?.name) || '（市町村未設定）';
}

/** The definition in force. */
export const currentDefinition = (ctx: Ctx): ChecklistDefinition => ctx.services.checklistDefinitions.current;

function header(ctx: Ctx, s: ChecklistState, label: string): Block[] {
  const def = currentDefinition(ctx);
  const who = s.preview ? 'プレビュー（保存しません）' : municipalityName(ctx, s.municipalityId);
  return [{ type: 'context', text: `市町村チェックリスト${def.source ? `（${def.source}）` : ''}｜${who}｜${label}` }];
}

const KIND_LABEL: Record<QuestionDef['kind'], string> = { 'yesno-chain': 'はい／いいえ', text: '自由回答', multiple: '複数回答', single: 'ひとつ選ぶ', number: '数値' };

/** Shows the current step. `hint` explains why an input was not accepted. */
export function renderStep(ctx: Ctx, s: ChecklistState, hint?: string): Reply {
  const def = currentDefinition(ctx);
  const blocks: Block[] = [];
  const hintBlock = (): void => {
    if (hint) blocks.push({ type: 'text', text: `⚠ ${hint}` });
  };
  if (s.at === 'bind') {
    const list = ctx.services.municipalities.all(Boolean(ctx.services.config.municipalitiesFile));
    blocks.push({ type: 'header', text: `市町村チェックリスト${def.source ? `（${def.source.replace(/^手引き\s*/, '').replace(/・.*$/, '')}）` : ''}` }, { type: 'text', text: MS.bindIntro });
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
  if (s.at === 'bind-reading') {
    blocks.push({ type: 'text', text: `「${s.pendingName}」を新しく登録します。読みをひらがなで入力してください（例: ぎょうだし）。読みを登録しない場合は「スキップ」と入力してください。` });
    hintBlock();
    return { blocks: [...blocks, { type: 'actions', controls: [{ kind: 'button', action: act('skip-reading'), label: 'スキップ' }, ...FOOTER] }] };
  }
  if (s.at === 'review') {
    blocks.push({ type: 'header', text: `送信前の確認｜${s.preview ? 'プレビュー' : municipalityName(ctx, s.municipalityId)}` });
    hintBlock();
    blocks.push({ type: 'fields', fields: answerLines(def, s.answers) });
    blocks.push({ type: 'text', text: s.preview ? 'プレビューです。「送信する」を押すと、市町村に表示されるまとめを確認できます（回答は保存しません）。' : '内容がよければ「送信する」を押してください。直したい質問は「変更」から選べます。' });
    blocks.push({
      type: 'actions',
      controls: [
        { kind: 'button', action: act('submit'), label: '送信する', style: 'primary' },
        { kind: 'select', action: act('edit'), placeholder: '変更する質問を選ぶ', options: askedQuestions(def, s.answers).map((q) => ({ label: `${q.label} ${q.title}`.slice(0, 75), value: q.id })) },
        { kind: 'button', action: act('cancel'), label: '中断する' },
      ],
    });
    return { blocks };
  }
  const q = questionOfStep(def, s.at);
  if (!q) return { blocks: [{ type: 'text', text: 'この質問はチェックリストにありません。/pf-checklist からやり直してください。' }] };
  const first = def.questions[0] === q;
  if (q.kind === 'yesno-chain') {
    const i = q.steps.findIndex((x) => x.id === s.at);
    blocks.push(...header(ctx, s, q.steps.length > 1 ? `${q.label}（フローチャート ${i + 1}/${q.steps.length}）` : `${q.label}（はい／いいえ）`));
    if (i === 0) blocks.push({ type: 'text', text: `${q.label} ${q.prompt}` });
    else blocks.push({ type: 'context', text: '▼ 前の質問に「はい」と回答した方' });
    hintBlock();
    blocks.push(
      { type: 'text', text: q.steps[i]!.text },
      { type: 'actions', controls: [{ kind: 'button', action: act(s.at), value: 'yes', label: 'はい', style: 'primary' }, { kind: 'button', action: act(s.at), value: 'no', label: 'いいえ' }, ...(first && i === 0 && !s.editing ? [{ kind: 'button' as const, action: act('cancel'), label: '中断する' }] : FOOTER)] },
    );
    return { blocks };
  }
  const cancelOnly: Control[] = first && !s.editing ? [{ kind: 'button', action: act('cancel'), label: '中断する' }] : FOOTER;
  if (s.at === `${q.id}other` && (q.kind === 'multiple' || q.kind === 'single')) {
    blocks.push(...header(ctx, s, `${q.label} その他`), { type: 'text', text: `「その他」の内容を入力してください（${otherLimit(q)}文字まで）。` });
    hintBlock();
    blocks.push({ type: 'actions', controls: [{ kind: 'button', action: act(`${s.at}-form`), label: '入力する', style: 'primary' }, ...FOOTER] });
    return { blocks };
  }
  blocks.push(...header(ctx, s, `${q.label}（${KIND_LABEL[q.kind]}）`), { type: 'text', text: `${q.label} ${q.prompt}` });
  switch (q.kind) {
    case 'text':
      hintBlock();
      blocks.push(
        { type: 'context', text: `このまま文章を送るか、「入力する」から記入してください（${q.maxLength}文字まで）。` },
        { type: 'actions', controls: [{ kind: 'button', action: act(`${q.id}-form`), label: '入力する', style: 'primary' }, ...cancelOnly] },
      );
      return { blocks };
    case 'number':
      hintBlock();
      // no buttons here: a terminal reads a typed number as the number of a button
      blocks.push({ type: 'context', text: `数字で入力してください${q.min !== undefined || q.max !== undefined ? `（${q.min ?? ''}〜${q.max ?? ''}${q.unit ?? ''}）` : q.unit ? `（単位: ${q.unit}）` : ''}。前の質問に戻るときは「戻る」、中断するときは「やめる」と入力してください。` });
      return { blocks };
    default: {
      const multi = q.kind === 'multiple';
      blocks.push({ type: 'list', items: q.options.map((o, i) => `${i + 1}. ${o.text}`) });
      hintBlock();
      const initial = choiceOf(s.answers, q)?.options;
      blocks.push({
        type: 'actions',
        controls: [
          multi
            ? { kind: 'select', action: act(q.id), placeholder: '当てはまるものをすべて選ぶ', multi: true, minValues: 1, maxValues: q.options.length, options: q.options.map((o) => ({ label: o.text.slice(0, 75), value: o.id })), ...(initial?.length ? { initial } : {}) }
            : { kind: 'select', action: act(q.id), placeholder: 'ひとつ選ぶ', options: q.options.map((o) => ({ label: o.text.slice(0, 75), value: o.id })) },
        ],
      });
      const none = multi && q.allowNone;
      blocks.push({ type: 'context', text: (multi ? '番号をカンマ区切りで送っても回答できます（例: 1,3）。' : '番号を送っても回答できます（例: 2）。') + (none ? '当てはまるものがなければ「該当なし」を押してください。' : '') });
      blocks.push({ type: 'actions', controls: [...(none ? [{ kind: 'button' as const, action: act(`${q.id}-none`), label: '該当なし' }] : []), ...cancelOnly] });
      return { blocks };
    }
  }
}

/** The form (Slack/Discord modal) for a free-text step or an その他 text. */
export function freeTextForm(s: ChecklistState, ctx: Ctx): Reply {
  const q = questionOfStep(currentDefinition(ctx), s.at);
  const isText = q?.kind === 'text' && s.at === q.id;
  const max = q?.kind === 'text' ? q.maxLength : q && (q.kind === 'multiple' || q.kind === 'single') ? otherLimit(q) : 200;
  const initial = isText && typeof s.answers[q.id] === 'string' ? (s.answers[q.id] as string) : undefined;
  return {
    blocks: [{ type: 'text', text: isText ? `${q.label} を入力してください。` : '「その他」の内容を入力してください。' }],
    ephemeral: true,
    form: {
      id: act(s.at),
      title: isText ? `${q.label} ${KIND_LABEL.text}` : 'その他の内容',
      submitLabel: '次へ',
      fields: [{ id: 'text', label: isText ? q.prompt.slice(0, 45) : 'その他の内容', kind: isText ? 'textarea' : 'text', required: true, maxLength: max, ...(initial ? { initial } : {}) }],
    },
  };
}
