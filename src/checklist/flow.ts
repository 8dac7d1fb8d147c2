/**
 * /pf-checklist: the municipal checklist of the handbook (図6, P.10) answered in chat. Exactly the
 * template's questions, Q1 in flowchart order; progress saved after every answer (the flow runtime
 * persists it); a review where any answer can be changed before sending; sending creates a new
 * version and shows the municipality its summary. What each step shows is in steps.ts; the saved
 * state in state.ts.
 */
import { authorize, isAdmin } from '../engine/auth.js';
import type { FlowDefinition, FlowInput, StepOutcome } from '../engine/flow.js';
import type { Effect, Reply } from '../engine/types.js';
import { V } from '../messages/visibility.js';
import { text } from '../engine/types.js';
import { normalizeForMatch, toHiragana } from '../knowledge/normalize.js';
import type { Ctx } from './context.js';
import { hasNo, MAX_FREE_TEXT, MAX_OTHER_TEXT, q1Path, validateAnswers, type ChecklistAnswers } from './model.js';
import { act, ID, State, type At, type ChecklistState } from './state.js';
import { freeTextForm, municipalityName, renderStep } from './steps.js';
import { summaryBlocks } from './summary.js';

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
  const blocks = summaryBlocks(kb, municipalityName(ctx, s.municipalityId), saved.version, answers as ChecklistAnswers);
  // the receipt goes to the user's DM too: the private reply in a channel does not last
  const a = ctx.actor;
  const receipt: Effect[] = a.isDirect ? [] : [{ type: 'deliver', target: { platform: a.platform, userId: a.userId, workspaceId: a.workspaceId }, reply: { blocks: [{ type: 'context', text: V.receiptByDm }, ...blocks] }, reason: 'user_notice' }];
  return { replies: [{ blocks }], effects: receipt };
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
  private: true,
  keepsDraft: true,
  start(ctx, args) {
    const municipalityId = args || undefined;
    const s: ChecklistState = { at: municipalityId ? 'q1a' : 'bind', answers: { q1: {} }, ...(municipalityId ? { municipalityId } : {}) };
    return { state: s, replies: [renderStep(ctx, s)] };
  },
  step,
  render: (s, ctx) => [renderStep(ctx, s)],
};
