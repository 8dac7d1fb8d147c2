/**
 * /pf-step: two or three questions about the prefecture's situation, then the step of the
 * handbook's chapter 2 to start from (P.8: 「必ずしもステップ1から3の順に進める必要はありません」),
 * with the handbook's reasons, its sub-steps, the functions that serve it, related Q&A and cases.
 */
import { z } from 'zod';
import { citationOf } from '../knowledge/citation.js';
import { flowAction, type FlowDefinition, type StepOutcome } from '../engine/flow-definition.js';
import type { Ctx } from './context.js';
import type { Block, Reply } from '../engine/types.js';
import type { Step } from '../knowledge/schema.js';
import { normalizeForMatch } from '../knowledge/normalize.js';
import { GUIDES } from '../messages/guides.js';

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
    text: GUIDES.stepQ1,
    options: [
      { value: 'yes', label: GUIDES.stepQ1Yes },
      { value: 'partly', label: GUIDES.stepQ1Partly },
      { value: 'no', label: GUIDES.stepQ1No },
    ],
  },
  hasCase: {
    text: GUIDES.stepQ2,
    options: [
      { value: 'yes', label: GUIDES.stepQ2Yes },
      { value: 'no', label: GUIDES.stepQ2No },
    ],
  },
  spread: {
    text: GUIDES.stepQ3,
    options: [
      { value: 'yes', label: GUIDES.stepQ3Yes },
      { value: 'no', label: GUIDES.stepQ3No },
    ],
  },
};

function question(state: State, hint?: string): Reply {
  const q = QUESTIONS[state.at];
  const blocks: Block[] = [];
  if (state.at === 'knows') blocks.push({ type: 'header', text: GUIDES.stepHeader });
  if (hint) blocks.push({ type: 'context', text: hint });
  blocks.push(
    { type: 'text', text: q.text },
    {
      type: 'actions',
      controls: [
        ...q.options.map((o) => ({ kind: 'button' as const, action: act(state.at), value: o.value, label: o.label })),
        ...(state.at !== 'knows' ? [{ kind: 'button' as const, action: act('back'), label: GUIDES.back }] : []),
        { kind: 'button' as const, action: act('cancel'), label: GUIDES.quit },
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
  1: (s) => GUIDES.stepReason1(s.knows === 'partly'),
  2: (s) => (s.hasCase === 'no' ? GUIDES.stepReason2NoCase : GUIDES.stepReason2OneCase),
  3: () => GUIDES.stepReason3,
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
    { type: 'header', text: GUIDES.stepRecommended(n, step.title, step.page) },
    { type: 'text', text: REASON[n](state) },
    { type: 'quote', text: step.startWhen },
    { type: 'list', title: GUIDES.stepToDo, items: step.subSteps.length ? step.subSteps.map((s) => `${s.action}（P.${s.page}）`) : [step.purpose] },
    {
      type: 'list',
      title: GUIDES.stepFunctions,
      items: functions.map((f) => {
        const main = Object.entries(f.matrix).filter(([, v]) => v === 'main').map(([k]) => values.get(k)).filter(Boolean);
        return `${f.name}（P.${f.page}）${main.length ? `… ●${main.join('・')}` : ''}`;
      }),
    },
    { type: 'list', title: GUIDES.stepDoneWhen, items: [step.doneWhen] },
    { type: 'list', title: GUIDES.stepRelatedFaq, items: faqs.map((f) => `Q${f.number} ${f.question}（P.${f.page}）`) },
    { type: 'list', title: GUIDES.stepCases, items: cases.map((c) => `${c.place}：${c.title}${c.page ? `（P.${c.page}）` : ''}`) },
    { type: 'citations', citations: passages.slice(0, 3).map((p) => citationOf(kb, p)) },
    {
      type: 'actions',
      controls: [
        ...(faqs[0] ? [{ kind: 'button' as const, action: 'faq:open', value: String(faqs[0].number), label: GUIDES.stepSeeFaq(faqs[0].number) }] : []),
        ...(n === 1 ? [{ kind: 'button' as const, action: 'cmd', value: 'pf-checklist', label: GUIDES.stepSeeChecklist }] : []),
        { kind: 'button' as const, action: 'cmd', value: 'pf-case', label: GUIDES.findCases },
        { kind: 'button' as const, action: 'cmd', value: 'pf-step', label: GUIDES.stepAgain },
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
  name: GUIDES.stepFlowName,
  version: 1,
  schema: State,
  capturesText: true,
  private: true,
  start: () => ({ state: { at: 'knows' }, replies: [question({ at: 'knows' })] }),
  step(state, input, ctx) {
    if (input.kind === 'action') {
      const valid = QUESTIONS[state.at].options.some((o) => o.value === input.value);
      if (input.action !== act(state.at) || !valid) return { state, replies: [question(state, GUIDES.staleButton)], sameStep: true };
      return next(ctx, state, input.value);
    }
    if (input.kind === 'text') {
      const value = parseText(state.at, input.text);
      if (value && QUESTIONS[state.at].options.some((o) => o.value === value)) return next(ctx, state, value);
      return { state, replies: [question(state, GUIDES.stepNotUnderstood(input.text.slice(0, 30)))], sameStep: true };
    }
    return { state, replies: [question(state)], sameStep: true };
  },
  render: (state) => [question(state)],
};
