/**
 * The checklist definition a prefecture owns (CHECKLIST_FILE): its questions in order, of the kinds
 * 図6 uses (a yes/no chain that goes on only after a yes, free text with a length limit, multiple
 * choice with an exclusive option and その他) plus single choice and a number; which options map to
 * the six platform functions; which answers define the stages; and the grouping of the handbook's Q4.
 * The handbook calls 図6 a ひな型 (P.10): knowledge/checklist/zu6.yaml (and zu6.json, the same in JSON) reproduces it exactly.
 */
import { z } from 'zod';
import { CHECKLIST } from '../../messages/checklist.js';

const Ref = z.object({ kind: z.enum(['step', 'function', 'faq', 'case']), id: z.string().min(1) });

/** Question and chain-step ids: lower-case letters and digits, so generated step names never collide. */
const QuestionId = z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, { message: CHECKLIST.defIdFormat });
const OptionId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, { message: CHECKLIST.defOptionIdFormat });

/** A condition for asking a question: a no anywhere in a yes/no chain, or one answer equal to a value. */
export const Condition = z.union([
  z.object({ anyNo: QuestionId }).strict(),
  z.object({ question: QuestionId, equals: z.string().min(1) }).strict(),
]);
export type Condition = z.infer<typeof Condition>;

export const OptionDef = z
  .object({
    id: OptionId,
    text: z.string().min(1).max(200),
    /** Cannot be chosen together with another option (図6 Q4 「引き続き市町村内で進めたい…」). */
    exclusive: z.boolean().optional(),
    /** その他: asks for free text when chosen. */
    freeText: z.boolean().optional(),
    /** One of the six platform functions (training, casebook, provider-list, guidebook, accompaniment, event). */
    function: z.string().min(1).optional(),
    /** A hint shown in the summary when chosen, with references to the handbook. */
    advice: z.string().min(1).optional(),
    refs: z.array(Ref).optional(),
  })
  .strict();
export type OptionDef = z.infer<typeof OptionDef>;

const Base = {
  id: QuestionId,
  /** The question's short number as shown (「Q1」). */
  label: z.string().min(1).max(10),
  /** A few words naming it in the review, the summary and the CSV (「困っていること」). */
  title: z.string().min(1).max(40),
  prompt: z.string().min(1).max(1000),
  askIf: Condition.optional(),
};

export const QuestionDef = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('yesno-chain'),
      ...Base,
      /** Asked in order; the next only after a yes (図6 Q1's flowchart). */
      steps: z.array(z.object({ id: QuestionId, text: z.string().min(1).max(300) }).strict()).min(1).max(10),
    })
    .strict(),
  z.object({ kind: z.literal('text'), ...Base, maxLength: z.number().int().min(1).max(4000) }).strict(),
  z
    .object({
      kind: z.literal('multiple'),
      ...Base,
      options: z.array(OptionDef).min(2).max(25),
      /** Whether 「該当なし」 (nothing chosen) is an answer. */
      allowNone: z.boolean().optional(),
      otherMaxLength: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('single'), ...Base, options: z.array(OptionDef).min(2).max(25), otherMaxLength: z.number().int().min(1).max(1000).optional() }).strict(),
  z
    .object({ kind: z.literal('number'), ...Base, min: z.number().optional(), max: z.number().optional(), integer: z.boolean().optional(), unit: z.string().max(10).optional() })
    .strict(),
]);
export type QuestionDef = z.infer<typeof QuestionDef>;
export type ChoiceQuestion = Extract<QuestionDef, { kind: 'multiple' | 'single' }>;

export const StageDef = z
  .object({
    id: z.string().min(1),
    label: z.string().min(1).max(60),
    /** `<step or question id>=<value>`: yes/no for a chain step, an option id for a choice. The first stage that matches applies. */
    when: z.string().regex(/^[a-z][a-z0-9_]*=[a-z0-9_-]+$/, { message: CHECKLIST.defWhenFormat }),
    advice: z.string().min(1),
    refs: z.array(Ref).default([]),
  })
  .strict();
export type StageDef = z.infer<typeof StageDef>;

export const GroupDef = z
  .object({
    id: z.string().min(1),
    label: z.string().min(1),
    rule: z.string().min(1),
    support: z.string().min(1),
    refs: z.array(Ref).default([]),
    /** Members: municipalities at one of these stages, or that chose anything in this question. A group with neither takes the rest. */
    stages: z.array(z.string().min(1)).optional(),
    anyChosenIn: QuestionId.optional(),
  })
  .strict();
export type GroupDef = z.infer<typeof GroupDef>;

export const ChecklistFileSchema = z
  .object({
    /** A declared version (「2026年度版」, 3). Without it the version is the content's hash. */
    version: z.union([z.string().min(1).max(40), z.number().int().nonnegative()]).optional(),
    title: z.string().min(1).max(100),
    /** Where the checklist comes from, shown in every step's header (「手引き 図6・P.10」). */
    source: z.string().min(1).max(60).optional(),
    questions: z.array(QuestionDef).min(1).max(40),
    stages: z.array(StageDef).default([]),
    groups: z.array(GroupDef).default([]),
  })
  .strict();
export type ChecklistFile = z.infer<typeof ChecklistFileSchema>;

/** A validated definition with its version. */
export interface ChecklistDefinition extends Omit<ChecklistFile, 'version'> {
  version: string;
}

/** JSON with the keys of every object sorted: the same content always gives the same text (hashes, comparisons). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
