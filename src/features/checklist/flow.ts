/**
 * /pf-checklist: the municipal checklist of the handbook (図6, P.10) answered in chat. Exactly the
 * template's questions, Q1 in flowchart order; progress saved after every answer (the flow runtime
 * persists it); a review where any answer can be changed before sending; sending creates a new
 * version and shows the municipality its summary.
 */
import { z } from 'zod';
import { hasNo, MAX_FREE_TEXT, MAX_OTHER_TEXT, q1Path, validateAnswers, YesNo, type ChecklistAnswers } from '../../checklist/model.js';
import { authorize, isAdmin } from '../../engine/auth.js';
import { handled, type Ctx, type Handled } from '../../engine/context.js';
import { flowAction, type FlowDefinition, type FlowInput, type StepOutcome } from '../../engine/flow.js';
import type { Block, Control, Reply } from '../../engine/types.js';
import { text } from '../../engine/types.js';
import { normalizeForMatch, toHiragana } from '../../knowledge/normalize.js';
import { answerLines, summaryBlocks } from './summary.js';
import { adminMenu, municipalityDetail, exportReply, groupsReply } from './admin.js';
import { overviewWithChart } from '../analysis/checklist-chart.js';

const ID = 'checklist';
const act = (name: string): string => flowAction(ID, name);

const Choice = z.object({ options: z.array(z.string()), other: z.string().optional() });
const Steps = ['bind', 'bind-reading', 'q1a', 'q1b', 'q1c', 'q2', 'q3', 'q3other', 'q4', 'q4other', 'review'] as const;
const State = z.object({
  at: z.enum(Steps),
  municipalityId: z.string().optional(),
  pendingName: z.string().optional(),
  answers: z.object({
    q1: z.object({ q1a: YesNo.optional(), q1b: YesNo.optional(), q1c: YesNo.optional() }),
    q2: z.string().optional(),
    q3: Choice.optional(),
    q4: Choice.optional(),
  }),
  editing: z.boolean().optional(),
});
export type ChecklistState = z.infer<typeof State>;
type At = ChecklistState['at'];

const FOOTER: Control[] = [
  { kind: 'button', action: act('back'), label: '戻る' },
  { kind: 'button', action: act('cancel'), label: '中断する' },
];

function municipalityName(ctx: Ctx, id?: string): string {
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

function freeTextForm(s: ChecklistState, ctx: Ctx): Reply {
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
function afterQ1(s: ChecklistState): ChecklistState {
  const path = q1Path(s.answers.q1);
  const q1 = Object.fromEntries(path.map((k) => [k, s.answers.q1[k]])) as ChecklistState['answers']['q1'];
  const answers = { ...s.answers, q1 };
  if (hasNo(q1)) {
    if (s.editing && answers.q2) return { ...s, answers, at: 'review' };
    return { ...s, answers, at: 'q2' };
  }
  const { q2: _dropped, ...rest } = answers;
  void _dropped;
  return { ...s, answers: rest, at: s.editing && rest.q3 ? 'review' : 'q3' };
}

function nextAfter(s: ChecklistState, done: 'q2' | 'q3' | 'q4'): ChecklistState {
  if (s.editing) {
    if (done === 'q2' && !s.answers.q3) return { ...s, at: 'q3' };
    return { ...s, at: 'review' };
  }
  return { ...s, at: done === 'q2' ? 'q3' : done === 'q3' ? 'q4' : 'review' };
}

/** Reads "1,3" or option texts typed for a multiple-choice question. */
function parseChoices(ctx: Ctx, q: 'q3' | 'q4', input: string): string[] | null {
  const options = ctx.services.kb.checklist[q].options;
  const t = input.normalize('NFKC').trim();
  if (/^[\d\s,、・]+$/.test(t)) {
    const nums = t.split(/[\s,、・]+/).filter(Boolean).map(Number);
    if (nums.some((n) => !Number.isInteger(n) || n < 1 || n > options.length)) return null;
    return [...new Set(nums)].map((n) => options[n - 1]!.id);
  }
  const hit = options.filter((o) => normalizeForMatch(o.text) === normalizeForMatch(t));
  return hit.length ? hit.map((o) => o.id) : null;
}

function choose(ctx: Ctx, s: ChecklistState, q: 'q3' | 'q4', values: string[]): StepOutcome<ChecklistState> {
  const t = ctx.services.kb.checklist[q];
  if (values.some((v) => !t.options.some((o) => o.id === v))) return { state: s, replies: [renderStep(ctx, s, '選択肢にない回答です。')], sameStep: true };
  const exclusive = t.options.filter((o) => o.exclusive).map((o) => o.id);
  if (values.some((v) => exclusive.includes(v)) && values.length > 1) {
    return { state: s, replies: [renderStep(ctx, s, '「引き続き市町村内で進めたい・現時点では都道府県の支援を受ける想定は無い」は、支援の希望と同時には選べません。どちらかにしてください。')], sameStep: true };
  }
  if (q === 'q4' && !values.length) return { state: s, replies: [renderStep(ctx, s, 'Q4 は1つ以上選んでください。')], sameStep: true };
  const previous = s.answers[q];
  const keepOther = values.includes('other') && previous?.options.includes('other') ? previous.other : undefined;
  const answers = { ...s.answers, [q]: { options: values, ...(keepOther ? { other: keepOther } : {}) } };
  const next: ChecklistState = { ...s, answers };
  if (values.includes('other') && !keepOther) return { state: { ...next, at: q === 'q3' ? 'q3other' : 'q4other' }, replies: [renderStep(ctx, { ...next, at: q === 'q3' ? 'q3other' : 'q4other' })] };
  const after = nextAfter(next, q);
  return { state: after, replies: [renderStep(ctx, after)] };
}

function bindTo(ctx: Ctx, s: ChecklistState, municipalityId: string): StepOutcome<ChecklistState> {
  const a = ctx.actor;
  if (!isAdmin(ctx.services, a)) ctx.services.roles.bindMember(a.platform, a.userId, municipalityId, `${a.platform}:${a.userId}`, ctx.now);
  const next: ChecklistState = { ...s, municipalityId, pendingName: undefined, at: 'q1a' };
  const latest = ctx.services.checklists.latest(municipalityId);
  const note: Reply[] = [text(`${municipalityName(ctx, municipalityId)} として回答します。${latest ? `前回の回答（第${latest.version}版）があります。新しく送信すると第${latest.version + 1}版になります。` : ''}`)];
  return { state: next, replies: [...note, renderStep(ctx, next)] };
}

function bindByName(ctx: Ctx, s: ChecklistState, name: string): StepOutcome<ChecklistState> {
  const { municipalities, config } = ctx.services;
  const found = municipalities.find(name);
  if (found.length === 1) return bindTo(ctx, s, found[0]!.id);
  if (found.length > 1) {
    return {
      state: s,
      replies: [{ blocks: [{ type: 'text', text: `「${name}」に当てはまる市町村が複数あります。選んでください。` }, { type: 'actions', controls: found.slice(0, 10).map((m) => ({ kind: 'button' as const, action: act('bind'), value: m.id, label: m.name })) }] }],
      sameStep: true,
    };
  }
  if (config.municipalitiesFile) {
    const close = municipalities.all(true).filter((m) => [...normalizeForMatch(name)].some((ch) => m.name.includes(ch))).slice(0, 5);
    return {
      state: s,
      replies: [
        {
          blocks: [
            { type: 'text', text: `「${name.slice(0, 30)}」は市町村の一覧にありません。${close.length ? 'もしかして:' : '一覧から選んでください。'}` },
            ...(close.length ? [{ type: 'actions' as const, controls: close.map((m) => ({ kind: 'button' as const, action: act('bind'), value: m.id, label: m.name })) }] : []),
          ],
        },
      ],
      sameStep: true,
    };
  }
  if (!/(市|町|村|区)$/.test(normalizeForMatch(name)) || normalizeForMatch(name).length > 20) {
    return { state: s, replies: [renderStep(ctx, s, '市町村名は「〇〇市」「〇〇町」「〇〇村」の形で入力してください（初めて登録する名前のため）。')], sameStep: true };
  }
  const next: ChecklistState = { ...s, pendingName: normalizeForMatch(name), at: 'bind-reading' };
  return { state: next, replies: [renderStep(ctx, next)] };
}

async function submit(ctx: Ctx, s: ChecklistState): Promise<StepOutcome<ChecklistState>> {
  const { kb, checklists } = ctx.services;
  if (!s.municipalityId) return { state: { ...s, at: 'bind' }, replies: [renderStep(ctx, { ...s, at: 'bind' })] };
  const decision = authorize(ctx.services, ctx.actor, 'checklist.answer', { municipalityId: s.municipalityId });
  if (!decision.ok) return { replies: [text(decision.message)] };
  const { answers, problems } = validateAnswers(kb.checklist, s.answers);
  if (!answers) {
    const first = problems[0]!;
    const fix: ChecklistState = { ...s, at: first.question === 'q1' ? 'q1a' : first.question, editing: true };
    return { state: fix, replies: [renderStep(ctx, fix, first.message)] };
  }
  const saved = checklists.submit(s.municipalityId, answers, ctx.actor.platform, ctx.actor.userId, ctx.now);
  return { replies: [{ blocks: summaryBlocks(kb, municipalityName(ctx, s.municipalityId), saved.version, answers as ChecklistAnswers) }] };
}

async function step(s: ChecklistState, input: FlowInput, ctx: Ctx): Promise<StepOutcome<ChecklistState>> {
  const name = input.kind === 'text' ? null : input.kind === 'action' ? input.action.split(':')[2]! : input.formId.split(':')[2]!;
  const value = input.kind === 'action' ? input.value : '';
  const typed = input.kind === 'text' ? input.text.trim() : input.kind === 'form' ? (input.fields.text ?? '').trim() : '';
  const stay = (hint: string): StepOutcome<ChecklistState> => ({ state: s, replies: [renderStep(ctx, s, hint)], sameStep: true });

  // buttons that open a form for free text (Slack/Discord modals)
  if (name === 'q2-form' || name === 'q3other-form' || name === 'q4other-form') return { state: s, replies: [freeTextForm(s, ctx)], sameStep: true };
  if (name === 'edit') {
    const q = (input.kind === 'action' ? (input.values?.[0] ?? value) : '') as 'q1' | 'q2' | 'q3' | 'q4';
    if (!['q1', 'q2', 'q3', 'q4'].includes(q)) return stay('変更する質問を選んでください。');
    const next: ChecklistState = { ...s, at: q === 'q1' ? 'q1a' : q, editing: true };
    return { state: next, replies: [renderStep(ctx, next)] };
  }
  if (name === 'submit') {
    if (s.at !== 'review') return stay('まだすべての質問に答えていません。');
    return submit(ctx, s);
  }
  if (name !== null && name !== s.at && !(name === 'q3-none' && s.at === 'q3') && !(name === 'skip-reading' && s.at === 'bind-reading')) {
    return stay('このボタンは前の質問のものです。いまの質問にお答えください。');
  }

  switch (s.at) {
    case 'bind':
      if (input.kind === 'action') {
        const id = input.values?.[0] ?? value;
        return ctx.services.municipalities.get(id) ? bindTo(ctx, s, id) : stay('その市町村は一覧にありません。');
      }
      return typed ? bindByName(ctx, s, typed.slice(0, 40)) : stay('市町村を選ぶか、名前を入力してください。');
    case 'bind-reading': {
      const skip = name === 'skip-reading' || /^スキップ$/.test(typed);
      const reading = skip ? null : toHiragana(normalizeForMatch(typed));
      if (!skip && !/^[ぁ-ゖー]{1,30}$/.test(reading ?? '')) return stay('読みはひらがなで入力してください（例: ぎょうだし）。');
      const m = ctx.services.municipalities.add(s.pendingName!, reading);
      return bindTo(ctx, s, m.id);
    }
    case 'q1a':
    case 'q1b':
    case 'q1c': {
      const v = input.kind === 'action' ? value : /^(はい|はーい|yes|y|ある|できている|進めている)$/i.test(typed) ? 'yes' : /^(いいえ|no|n|ない|できていない|進めていない)$/i.test(typed) ? 'no' : null;
      if (v !== 'yes' && v !== 'no') return stay(`「${typed.slice(0, 20)}」は回答として受け取れませんでした。「はい」か「いいえ」でお答えください。`);
      const q1: ChecklistState['answers']['q1'] = { ...s.answers.q1, [s.at]: v };
      // answering a question of the flowchart invalidates the ones after it
      if (s.at === 'q1a') {
        delete q1.q1b;
        delete q1.q1c;
      }
      if (s.at === 'q1b') delete q1.q1c;
      const answered: ChecklistState = { ...s, answers: { ...s.answers, q1 } };
      const nextQ = s.at === 'q1a' && v === 'yes' ? 'q1b' : s.at === 'q1b' && v === 'yes' ? 'q1c' : null;
      const next = nextQ ? { ...answered, at: nextQ as At } : afterQ1(answered);
      return { state: next, replies: [renderStep(ctx, next)] };
    }
    case 'q2': {
      if (!typed) return stay('Q2 の内容を入力してください。');
      if (typed.length > MAX_FREE_TEXT) return stay(`長すぎます（${typed.length} 文字）。${MAX_FREE_TEXT} 文字以内にまとめてください。入力した文章はそのまま送り直せます。`);
      const next = nextAfter({ ...s, answers: { ...s.answers, q2: typed } }, 'q2');
      return { state: next, replies: [renderStep(ctx, next)] };
    }
    case 'q3':
    case 'q4': {
      if (name === 'q3-none') return choose(ctx, s, 'q3', []);
      if (input.kind === 'action') return choose(ctx, s, s.at, input.values ?? (value ? [value] : []));
      if (s.at === 'q3' && /^(該当なし|なし|特になし|ない)$/.test(typed)) return choose(ctx, s, 'q3', []);
      const values = parseChoices(ctx, s.at, typed);
      if (!values) return stay(`番号（1〜${ctx.services.kb.checklist[s.at].options.length}）をカンマ区切りで送るか、一覧から選んでください。`);
      return choose(ctx, s, s.at, values);
    }
    case 'q3other':
    case 'q4other': {
      const q = s.at === 'q3other' ? 'q3' : 'q4';
      if (!typed) return stay('「その他」の内容を入力してください。');
      if (typed.length > MAX_OTHER_TEXT) return stay(`長すぎます（${typed.length} 文字）。${MAX_OTHER_TEXT} 文字以内にしてください。`);
      const answers = { ...s.answers, [q]: { options: s.answers[q]?.options ?? ['other'], other: typed } };
      const next = nextAfter({ ...s, answers }, q);
      return { state: next, replies: [renderStep(ctx, next)] };
    }
    case 'review':
      return stay('「送信する」を押すか、変更する質問を選んでください。');
  }
}

export const checklistFlow: FlowDefinition<ChecklistState, Ctx> = {
  id: ID,
  name: '市町村チェックリスト',
  version: 1,
  schema: State,
  capturesText: true,
  keepsDraft: true,
  start(ctx, args) {
    const municipalityId = args || undefined;
    const s: ChecklistState = { at: municipalityId ? 'q1a' : 'bind', answers: { q1: {} }, ...(municipalityId ? { municipalityId } : {}) };
    return { state: s, replies: [renderStep(ctx, s)] };
  },
  step,
  render: (s, ctx) => [renderStep(ctx, s)],
};

/** /pf-checklist [集計|エクスポート|グループ|履歴|<市町村名>|回答 <市町村名>] */
export async function checklistCommand(ctx: Ctx, args: string): Promise<Handled> {
  const { services, runtime, actor } = ctx;
  const admin = isAdmin(services, actor);
  const a = args.normalize('NFKC').trim();
  if (/^(集計|一覧|状況|全体|overview)$/i.test(a)) return overviewWithChart(ctx);
  if (/^(エクスポート|export|csv|出力)$/i.test(a)) return exportReply(ctx);
  if (/^(グループ|分類|group)$/i.test(a)) return groupsReply(ctx);
  const membership = services.roles.of(actor.platform, actor.userId);
  if (/^(履歴|前回|自分の回答)$/.test(a)) {
    if (!membership.municipalityId) return handled([text('まだ市町村が設定されていません。/pf-checklist で回答を始めると設定できます。')]);
    return municipalityDetail(ctx, membership.municipalityId);
  }
  const onBehalf = /^回答\s+(.+)$/.exec(a);
  if (onBehalf) {
    if (!admin) return handled([text('他の市町村に代わって回答できるのは都道府県の担当者（管理者）だけです。', { ephemeral: true })]);
    const found = services.municipalities.find(onBehalf[1]!);
    if (found.length !== 1) return handled([text(`「${onBehalf[1]}」に当てはまる市町村を1つに絞れませんでした。`, { ephemeral: true })]);
    return runtime.start(ctx, ID, found[0]!.id);
  }
  if (a) {
    const found = services.municipalities.find(a);
    if (!found.length) return handled([text(`「${a.slice(0, 30)}」という市町村は見つかりませんでした。`, { ephemeral: true }), ...(admin ? [adminMenu(ctx)] : [])]);
    if (found.length > 1) return handled([text(`「${a}」に当てはまる市町村が複数あります: ${found.map((m) => m.name).join('、')}`, { ephemeral: true })]);
    return municipalityDetail(ctx, found[0]!.id);
  }
  // no arguments: resume a draft, or start
  const resumed = runtime.resume(ctx, ID);
  if (resumed) return handled([text('途中まで回答したチェックリストの続きから再開します。'), ...resumed.replies]);
  if (admin) return handled([adminMenu(ctx)]);
  return runtime.start(ctx, ID, membership.municipalityId ?? '');
}
