/**
 * Answers to a checklist definition (see definition/schema.ts), kept by question id: a yes/no chain
 * as `{ stepId: 'yes' | 'no' }` (only the steps asked), free text as a string, a choice as
 * `{ options, other? }`, a number as a number. For 図6 this is exactly the shape stored before
 * definitions existed (`q1: { q1a, q1b, q1c }, q2, q3, q4`), so old answers read unchanged.
 * Which question comes next, whether an answer is complete, the stage and the group are computed
 * here from the definition, never hard-wired.
 */
import { z } from 'zod';
import type { ChecklistDefinition, ChoiceQuestion, GroupDef, QuestionDef, StageDef } from './definition/schema.js';
import { CHECKLIST } from '../messages/checklist.js';

export const YesNo = z.enum(['yes', 'no']);
export type YesNo = z.infer<typeof YesNo>;

/** The default limit of an その他 text. */
export const MAX_OTHER_TEXT = 200;

export interface Choice {
  options: string[];
  other?: string;
}
/** Answers by question id (values checked against the definition by validateAnswers). */
export type Answers = Record<string, unknown>;
/** Any stored answers (older versions included), as read from the database. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StoredAnswers = Record<string, any>;

const ChoiceSchema = z.object({ options: z.array(z.string()), other: z.string().optional() });

/**
 * The answers of the handbook's template (図6) in their stored shape: the gap view and its sample
 * data read Q2 (free text), Q3 and Q4 (choices) by these ids. A custom definition that lacks them
 * simply reports no needs there.
 */
export const ChecklistAnswersSchema = z.object({
  q1: z.object({ q1a: YesNo, q1b: YesNo.optional(), q1c: YesNo.optional() }),
  q2: z.string().trim().optional(),
  q3: ChoiceSchema,
  q4: ChoiceSchema,
});
export type ChecklistAnswers = z.infer<typeof ChecklistAnswersSchema>;
const ChainSchema = z.record(z.string(), YesNo);

export function chainOf(a: Answers, q: QuestionDef): Partial<Record<string, YesNo>> {
  const p = ChainSchema.safeParse(a[q.id]);
  return p.success ? p.data : {};
}
export function choiceOf(a: Answers, q: QuestionDef): Choice | undefined {
  const p = ChoiceSchema.safeParse(a[q.id]);
  return p.success ? p.data : undefined;
}
export const otherLimit = (q: ChoiceQuestion): number => q.otherMaxLength ?? MAX_OTHER_TEXT;

/** The steps of a yes/no chain that are asked: the first, then each after a yes. */
export function chainPath(q: Extract<QuestionDef, { kind: 'yesno-chain' }>, a: Answers): string[] {
  const c = chainOf(a, q);
  const path: string[] = [];
  for (const s of q.steps) {
    path.push(s.id);
    if (c[s.id] !== 'yes') break;
  }
  return path;
}

/** The answer behind a stage's or condition's id: a chain step's yes/no, or the chosen option ids. */
function valuesOf(def: ChecklistDefinition, a: Answers, id: string): string[] {
  for (const q of def.questions) {
    if (q.kind === 'yesno-chain' && q.steps.some((s) => s.id === id)) {
      const v = chainPath(q, a).includes(id) ? chainOf(a, q)[id] : undefined;
      return v ? [v] : [];
    }
    if (q.id === id) return choiceOf(a, q)?.options ?? [];
  }
  return [];
}

export function isAsked(def: ChecklistDefinition, q: QuestionDef, a: Answers): boolean {
  const c = q.askIf;
  if (!c) return true;
  if ('anyNo' in c) {
    const chain = def.questions.find((x) => x.id === c.anyNo);
    return chain?.kind === 'yesno-chain' && chainPath(chain, a).some((s) => chainOf(a, chain)[s] === 'no');
  }
  return valuesOf(def, a, c.question).includes(c.equals);
}

/** The questions asked, given the answers so far. */
export const askedQuestions = (def: ChecklistDefinition, a: Answers): QuestionDef[] => def.questions.filter((q) => isAsked(def, q, a));

/** Whether a question has a complete answer (its その他 text included). */
export function isAnswered(q: QuestionDef, a: Answers): boolean {
  switch (q.kind) {
    case 'yesno-chain': {
      const c = chainOf(a, q);
      return chainPath(q, a).every((s) => c[s] !== undefined);
    }
    case 'text':
      return typeof a[q.id] === 'string' && (a[q.id] as string).length > 0;
    case 'number':
      return typeof a[q.id] === 'number';
    default: {
      const c = choiceOf(a, q);
      if (!c) return false;
      const other = q.options.find((o) => o.freeText);
      return !(other && c.options.includes(other.id) && !c.other);
    }
  }
}

/** The step to show next: the first unanswered step of the asked questions, or the review. */
export function nextStep(def: ChecklistDefinition, a: Answers): string {
  for (const q of askedQuestions(def, a)) {
    if (isAnswered(q, a)) continue;
    if (q.kind === 'yesno-chain') return chainPath(q, a).find((s) => chainOf(a, q)[s] === undefined)!;
    const c = choiceOf(a, q);
    if (c && (q.kind === 'multiple' || q.kind === 'single')) return `${q.id}other`;
    return q.id;
  }
  return 'review';
}

/** The question a step belongs to (`q1b` → Q1, `q3other` → Q3). */
export function questionOfStep(def: ChecklistDefinition, step: string): QuestionDef | undefined {
  return def.questions.find((q) => (q.kind === 'yesno-chain' ? q.steps.some((s) => s.id === step) : q.id === step || `${q.id}other` === step));
}

/** Drops answers that no longer apply: questions not asked, chain steps after a no. */
export function prune(def: ChecklistDefinition, a: Answers): Answers {
  const out: Answers = {};
  for (const q of def.questions) {
    if (a[q.id] === undefined || !isAsked(def, q, { ...a, ...out })) continue;
    if (q.kind === 'yesno-chain') {
      const c = chainOf(a, q);
      out[q.id] = Object.fromEntries(chainPath(q, a).filter((s) => c[s] !== undefined).map((s) => [s, c[s]]));
    } else out[q.id] = a[q.id];
  }
  return out;
}

export interface ValidationProblem {
  /** The question the problem is about. */
  question: string;
  message: string;
}

/** Checks one question's answer; returns the problem in Japanese, or null. */
export function checkAnswer(q: QuestionDef, a: Answers): string | null {
  const v = a[q.id];
  switch (q.kind) {
    case 'yesno-chain': {
      if (v !== undefined && !ChainSchema.safeParse(v).success) return CHECKLIST.problemShape(q.label);
      const path = chainPath(q, a);
      const c = chainOf(a, q);
      if (Object.keys(c).some((k) => !path.includes(k))) return CHECKLIST.problemChainOrder(q.label);
      return path.every((s) => c[s]) ? null : CHECKLIST.problemChainUnanswered(q.label);
    }
    case 'text':
      if (typeof v !== 'string' || !v.trim()) return CHECKLIST.problemRequired(q.label);
      return v.length > q.maxLength ? CHECKLIST.problemTooLong(q.label, q.maxLength) : null;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return CHECKLIST.problemNumber(q.label);
      if (q.integer && !Number.isInteger(v)) return CHECKLIST.problemInteger(q.label);
      if ((q.min !== undefined && v < q.min) || (q.max !== undefined && v > q.max)) return CHECKLIST.problemRange(q.label, q.min ?? '', q.max ?? '');
      return null;
    default: {
      const c = choiceOf(a, q);
      if (!c) return CHECKLIST.problemUnanswered(q.label);
      const ids = new Set(q.options.map((o) => o.id));
      const unknown = c.options.filter((o) => !ids.has(o));
      if (unknown.length) return CHECKLIST.problemUnknownOptions(q.label, unknown.join(', '));
      if (new Set(c.options).size !== c.options.length) return CHECKLIST.problemDuplicateOptions(q.label);
      if (q.kind === 'single' && c.options.length !== 1) return CHECKLIST.problemChooseOne(q.label);
      if (q.kind === 'multiple' && !c.options.length && !q.allowNone) return CHECKLIST.problemAtLeastOne(q.label);
      const exclusive = q.options.find((o) => o.exclusive && c.options.includes(o.id));
      if (exclusive && c.options.length > 1) return exclusiveMessage(q, exclusive.text);
      const other = q.options.find((o) => o.freeText);
      const otherChosen = Boolean(other && c.options.includes(other.id));
      if (otherChosen && !c.other) return CHECKLIST.problemOtherRequired(q.label);
      if (!otherChosen && c.other) return CHECKLIST.problemOtherNotChosen(q.label);
      if (c.other && c.other.length > otherLimit(q)) return CHECKLIST.problemOtherTooLong(otherLimit(q));
      return null;
    }
  }
}

/** Why an exclusive option cannot be combined: with a request for support when the others are the platform's functions (図6 Q4). */
export const exclusiveMessage = (q: ChoiceQuestion, text: string): string =>
  CHECKLIST.problemExclusive(text, q.options.some((o) => o.function));

/** Validates answers against the definition; returns the problems in Japanese (empty when valid). */
export function validateAnswers(def: ChecklistDefinition, input: Answers): { answers?: Answers; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const asked = askedQuestions(def, input);
  for (const q of def.questions) {
    if (!asked.includes(q)) {
      if (input[q.id] !== undefined) problems.push({ question: q.id, message: CHECKLIST.problemNotAsked(q.label) });
      continue;
    }
    const problem = checkAnswer(q, input);
    if (problem) problems.push({ question: q.id, message: problem });
  }
  const known = new Set(def.questions.map((q) => q.id));
  for (const k of Object.keys(input)) if (!known.has(k)) problems.push({ question: def.questions[0]!.id, message: CHECKLIST.problemUnknownAnswer(k) });
  return problems.length ? { problems } : { answers: input, problems };
}

/**
 * The answers that still apply under another definition (the checklist changed mid-way): each
 * question kept when the new definition has it with the same kind and the answer is valid there.
 */
export function carryOver(def: ChecklistDefinition, a: Answers): Answers {
  const kept: Answers = {};
  for (const q of def.questions) {
    if (a[q.id] === undefined) continue;
    if (q.kind === 'yesno-chain') {
      const c = chainOf(a, q);
      const steps = Object.fromEntries(q.steps.filter((s) => c[s.id]).map((s) => [s.id, c[s.id]]));
      if (Object.keys(steps).length) kept[q.id] = steps;
    } else if (!checkAnswer(q, a)) kept[q.id] = a[q.id];
  }
  return prune(def, kept);
}

/** The stage: the first whose `when` matches. */
export function stageOf(def: ChecklistDefinition, a: Answers): StageDef | undefined {
  return def.stages.find((s) => {
    const [id, value] = s.when.split('=') as [string, string];
    return valuesOf(def, a, id).includes(value);
  });
}

/** The group (the handbook's Q4, P.31): the first whose stages or question match; a group with neither takes the rest. */
export function groupOf(def: ChecklistDefinition, a: Answers): GroupDef | undefined {
  const stage = stageOf(def, a)?.id;
  return def.groups.find((g) => {
    if (!g.stages && !g.anyChosenIn) return true;
    if (stage && g.stages?.includes(stage)) return true;
    if (g.anyChosenIn) return (choiceOf(a, def.questions.find((q) => q.id === g.anyChosenIn)!)?.options.length ?? 0) > 0;
    return false;
  });
}

/** The platform functions the answers ask for (options mapped to one of the six), in definition order. */
export function requestedFunctions(def: ChecklistDefinition, a: Answers): string[] {
  const out: string[] = [];
  for (const q of askedQuestions(def, a)) {
    if (q.kind !== 'multiple' && q.kind !== 'single') continue;
    const chosen = choiceOf(a, q)?.options ?? [];
    for (const o of q.options) if (o.function && chosen.includes(o.id) && !out.includes(o.function)) out.push(o.function);
  }
  return out;
}
