/**
 * The municipal checklist of the handbook (図6, P.10) as a validated answer model: Q1's three
 * yes/no questions in flowchart order, Q2 free text about the no's, Q3 and Q4 multiple choice with
 * その他, and Q4's 「引き続き市町村内で進めたい…」 that cannot be combined with a request for support.
 */
import { z } from 'zod';
import type { ChecklistTemplate } from '../knowledge/schema.js';

export const YesNo = z.enum(['yes', 'no']);
export type YesNo = z.infer<typeof YesNo>;

export const MAX_FREE_TEXT = 1000;
export const MAX_OTHER_TEXT = 200;

const Choice = z.object({
  options: z.array(z.string()),
  other: z.string().trim().max(MAX_OTHER_TEXT).optional(),
});

export const ChecklistAnswersSchema = z.object({
  q1: z.object({ q1a: YesNo, q1b: YesNo.optional(), q1c: YesNo.optional() }),
  q2: z.string().trim().max(MAX_FREE_TEXT).optional(),
  q3: Choice,
  q4: Choice,
});
export type ChecklistAnswers = z.infer<typeof ChecklistAnswersSchema>;

export type StageId = 'no-awareness' | 'no-mechanism' | 'not-progressing' | 'progressing';
export type GroupId = 'not-started' | 'struggling' | 'progressing';

/** The Q1 questions that are asked, given the answers so far (each only after a yes). */
export function q1Path(q1: Partial<ChecklistAnswers['q1']>): ('q1a' | 'q1b' | 'q1c')[] {
  const path: ('q1a' | 'q1b' | 'q1c')[] = ['q1a'];
  if (q1.q1a === 'yes') path.push('q1b');
  if (q1.q1a === 'yes' && q1.q1b === 'yes') path.push('q1c');
  return path;
}

export function hasNo(q1: Partial<ChecklistAnswers['q1']>): boolean {
  return q1Path(q1).some((k) => q1[k] === 'no');
}

export function stageOf(q1: ChecklistAnswers['q1']): StageId {
  if (q1.q1a === 'no') return 'no-awareness';
  if (q1.q1b === 'no') return 'no-mechanism';
  if (q1.q1c === 'no') return 'not-progressing';
  return 'progressing';
}

/** The grouping of the handbook's Q4 (P.31): not started, started but struggling, progressing well. */
export function groupOf(a: ChecklistAnswers): GroupId {
  const stage = stageOf(a.q1);
  if (stage === 'no-awareness' || stage === 'no-mechanism') return 'not-started';
  if (stage === 'not-progressing' || a.q3.options.length > 0) return 'struggling';
  return 'progressing';
}

export interface ValidationProblem {
  /** Which question (q1 … q4) the problem is about. */
  question: 'q1' | 'q2' | 'q3' | 'q4';
  message: string;
}

/** Validates answers against the template; returns the problems in Japanese (empty when valid). */
export function validateAnswers(template: ChecklistTemplate, input: unknown): { answers?: ChecklistAnswers; problems: ValidationProblem[] } {
  const parsed = ChecklistAnswersSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const question = (String(issue.path[0] ?? 'q1') as ValidationProblem['question']);
    const message = issue.code === 'too_big' ? `入力が長すぎます（${issue.path.includes('other') ? MAX_OTHER_TEXT : MAX_FREE_TEXT} 文字まで）` : '回答の形式が正しくありません';
    return { problems: [{ question, message }] };
  }
  const a = parsed.data;
  const problems: ValidationProblem[] = [];
  const path = q1Path(a.q1);
  for (const k of path) if (!a.q1[k]) problems.push({ question: 'q1', message: 'Q1 のフローチャートの質問に答えていないものがあります' });
  for (const k of ['q1b', 'q1c'] as const) {
    if (!path.includes(k) && a.q1[k] !== undefined) problems.push({ question: 'q1', message: 'Q1 は前の質問に「はい」と答えた場合だけ次の質問に進みます' });
  }
  if (hasNo(a.q1) && !a.q2) problems.push({ question: 'q2', message: 'Q1 で「いいえ」と答えた現状・課題を Q2 に記入してください' });
  if (!hasNo(a.q1) && a.q2) problems.push({ question: 'q2', message: 'Q2 は Q1 で「いいえ」があった場合だけ記入します' });
  for (const q of ['q3', 'q4'] as const) {
    const valid = new Set(template[q].options.map((o) => o.id));
    const unknown = a[q].options.filter((o) => !valid.has(o));
    if (unknown.length) problems.push({ question: q, message: `${q.toUpperCase()} に選択肢にない回答があります: ${unknown.join(', ')}` });
    if (new Set(a[q].options).size !== a[q].options.length) problems.push({ question: q, message: `${q.toUpperCase()} で同じ選択肢が重複しています` });
    const otherChosen = a[q].options.includes('other');
    if (otherChosen && !a[q].other) problems.push({ question: q, message: `${q.toUpperCase()} の「その他」の内容を記入してください` });
    if (!otherChosen && a[q].other) problems.push({ question: q, message: `${q.toUpperCase()} で「その他」を選んでいないのに内容が入っています` });
  }
  if (a.q4.options.length === 0) problems.push({ question: 'q4', message: 'Q4 は1つ以上選んでください' });
  const exclusive = template.q4.options.filter((o) => o.exclusive).map((o) => o.id);
  if (a.q4.options.some((o) => exclusive.includes(o)) && a.q4.options.length > 1) {
    problems.push({ question: 'q4', message: '「引き続き市町村内で進めたい・現時点では都道府県の支援を受ける想定は無い」は、支援の希望と同時には選べません' });
  }
  return problems.length ? { problems } : { answers: a, problems };
}
