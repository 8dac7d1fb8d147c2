/**
 * /pf-step: two or three questions about the prefecture's situation, then the step of the
 * handbook's chapter 2 to start from (P.8: 「必ずしもステップ1から3の順に進める必要はありません」),
 * with the handbook's reasons, its sub-steps, the functions that serve it, related Q&A and cases.
 */
import { z } from 'zod';
import { citationOf } from '../answering/citation.js';
import { flowAction, type FlowDefinition, type StepOutcome } from '../engine/flow.js';
import type { Ctx } from './context.js';
import type { Block, Reply } from '../engine/types.js';
import type { Step } from '../knowledge/schema.js';
import { normalizeForMatch } from '../knowledge/normalize.js';

const State = z.object({
  at: z.enum(['knows', 'hasCase', 'spread']),
  knows: z.enum(['yes', 'partly', 'no']).optional(),
  hasCase: z.enum(['yes', 'no']).optional(),
});
type State = z.infer<typeof State>;

const ID = 'step';
const act = (name: string): string => flowAction(ID, name);

const QUESTIONS: Record<State['at'], { text: string; options: { value: string; label: string }[] }> = {
  knows: {
    text: 'Q1. 県内の市町村の生活支援体制が構築・機能しているか（取組状況や困りごと）を把握できていますか？',
    options: [
      { value: 'yes', label: 'はい、把握している' },
      { value: 'partly', label: '一部の市町村だけ' },
      { value: 'no', label: 'いいえ' },
    ],
  },
  hasCase: {
    text: 'Q2. 市町村の生活支援体制と多様な主体（企業・NPO など）が連携した事例は、県内にすでにありますか？',
    options: [
      { value: 'yes', label: 'ある' },
      { value: 'no', label: 'まだない' },
    ],
  },
  spread: {
    text: 'Q3. その連携事例を、複数の市町村に広げていきたいですか？',
    options: [
      { value: 'yes', label: 'はい、広げたい' },
      { value: 'no', label: 'まずは一つの事例を確実にしたい' },
    ],
  },
};

function question(state: State, hint?: string): Reply {
  const q = QUESTIONS[state.at];
  const blocks: Block[] = [];
  if (state.at === 'knows') blocks.push({ type: 'header', text: 'どのステップから始めるか診断します（手引き 第2章）' });
  if (hint) blocks.push({ type: 'context', text: hint });
  blocks.push(
    { type: 'text', text: q.text },
    {
      type: 'actions',
      controls: [
        ...q.options.map((o) => ({ kind: 'button' as const, action: act(state.at), value: o.value, label: o.label })),
        ...(state.at !== 'knows' ? [{ kind: 'button' as const, action: act('back'), label: '戻る' }] : []),
        { kind: 'button' as const, action: act('cancel'), label: 'やめる' },
      ],
    },
  );
  return { blocks };
}

/** Understands a typed answer (はい／いいえ／一部／ある／ない). */
function parseText(at: State['at'], input: string): string | null {
  const t = normalizeForMatch(input);
  if (at === 'knows' && /(一部|いくつか|少し|半分|部分)/.test(t)) return 'partly';
  if (at === 'spread' && /(まず|一つ|ひとつ|確実)/.test(t)) return 'no';
  if (/^(はい|うん|yes|ある|あります|把握|広げ|そう)/.test(t)) return 'yes';
  if (/^(いいえ|いや|no|ない|ありません|まだ|把握していない)/.test(t)) return 'no';
  return null;
}

export function recommend(state: State): 1 | 2 | 3 {
  if (state.knows !== 'yes') return 1;
  if (state.hasCase !== 'yes') return 2;
  return 3;
}

const REASON: Record<1 | 2 | 3, (s: State) => string> = {
  1: (s) => `市町村の状況を${s.knows === 'partly' ? '一部しか' : 'まだ'}把握していないため、状況把握と市町村の体制づくりの支援から始めるのが手引きの推奨です。`,
  2: (s) => (s.hasCase === 'no' ? '市町村の状況は把握しているものの、多様な主体との連携事例がまだないため、まず一つの事例を生み出す段階です。' : '連携事例はあるものの、まずは一つの事例を確実にしたいとのことなので、事例の創出を進める段階です。'),
  3: () => '連携事例があり、それを複数の市町村に広げたいとのことなので、都道府県PFを発展させる段階です。',
};

export function stepResult(ctx: Ctx, state: State): Reply {
  const { kb } = ctx.services;
  const n = recommend(state);
  const step = kb.steps.find((s) => s.number === n) as Step;
  const functions = kb.functions.filter((f) => f.targetSteps.includes(n));
  const values = new Map(kb.functionValues.map((v) => [v.id, v.label]));
  const faqs = step.relatedFaq.map((id) => kb.faq.find((f) => f.id === id)!).filter(Boolean);
  const cases = step.relatedCases.map((id) => kb.cases.find((c) => c.id === id)!).filter(Boolean);
  const passages = kb.passages.filter((p) => p.docId === 'handbook' && (p.sectionId === step.sectionId || p.sectionId === `${step.sectionId}-fig`));
  const blocks: Block[] = [
    { type: 'header', text: `おすすめ: ステップ${n} ${step.title}（P.${step.page}）` },
    { type: 'text', text: REASON[n](state) },
    { type: 'quote', text: step.startWhen },
    { type: 'list', title: 'このステップでやること', items: step.subSteps.length ? step.subSteps.map((s) => `${s.action}（P.${s.page}）`) : [step.purpose] },
    {
      type: 'list',
      title: '役立つ情報・機能（第3章の一覧表より）',
      items: functions.map((f) => {
        const main = Object.entries(f.matrix).filter(([, v]) => v === 'main').map(([k]) => values.get(k)).filter(Boolean);
        return `${f.name}（P.${f.page}）${main.length ? `… ●${main.join('・')}` : ''}`;
      }),
    },
    { type: 'list', title: '次へ進む目安', items: [step.doneWhen] },
    { type: 'list', title: '関連するQ&A', items: faqs.map((f) => `Q${f.number} ${f.question}（P.${f.page}）`) },
    { type: 'list', title: '参考になる事例', items: cases.map((c) => `${c.place}：${c.title}${c.page ? `（P.${c.page}）` : ''}`) },
    { type: 'citations', citations: passages.slice(0, 3).map((p) => citationOf(kb, p)) },
    {
      type: 'actions',
      controls: [
        ...(faqs[0] ? [{ kind: 'button' as const, action: 'faq:open', value: String(faqs[0].number), label: `Q${faqs[0].number} を見る` }] : []),
        ...(n === 1 ? [{ kind: 'button' as const, action: 'cmd', value: 'pf-checklist', label: 'チェックリストを見る' }] : []),
        { kind: 'button' as const, action: 'cmd', value: 'pf-case', label: '事例を探す' },
        { kind: 'button' as const, action: 'cmd', value: 'pf-step', label: 'もう一度診断する' },
      ],
    },
  ];
  return { blocks };
}

function next(ctx: Ctx, state: State, value: string): StepOutcome<State> {
  const s: State = { ...state };
  if (state.at === 'knows') {
    s.knows = value as State['knows'];
    if (s.knows !== 'yes') return { replies: [stepResult(ctx, s)] };
    return { state: { ...s, at: 'hasCase' }, replies: [question({ ...s, at: 'hasCase' })] };
  }
  if (state.at === 'hasCase') {
    s.hasCase = value as State['hasCase'];
    if (s.hasCase !== 'yes') return { replies: [stepResult(ctx, s)] };
    return { state: { ...s, at: 'spread' }, replies: [question({ ...s, at: 'spread' })] };
  }
  return { replies: [stepResult(ctx, value === 'yes' ? s : { ...s, hasCase: 'no' })] };
}

export const stepGuideFlow: FlowDefinition<State, Ctx> = {
  id: ID,
  name: 'ステップ診断',
  version: 1,
  schema: State,
  capturesText: true,
  private: true,
  start: () => ({ state: { at: 'knows' }, replies: [question({ at: 'knows' })] }),
  step(state, input, ctx) {
    if (input.kind === 'action') {
      const valid = QUESTIONS[state.at].options.some((o) => o.value === input.value);
      if (input.action !== act(state.at) || !valid) return { state, replies: [question(state, 'このボタンは前の質問のものです。いまの質問にお答えください。')], sameStep: true };
      return next(ctx, state, input.value);
    }
    if (input.kind === 'text') {
      const value = parseText(state.at, input.text);
      if (value && QUESTIONS[state.at].options.some((o) => o.value === value)) return next(ctx, state, value);
      return { state, replies: [question(state, `「${input.text.slice(0, 30)}」は回答として受け取れませんでした。ボタンを押すか「はい」「いいえ」でお答えください（「戻る」「やめる」も使えます）。`)], sameStep: true };
    }
    return { state, replies: [question(state)], sameStep: true };
  },
  render: (state) => [question(state)],
};
