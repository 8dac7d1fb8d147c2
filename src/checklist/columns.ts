/**
 * The prefecture's table of answers given under several definition versions: one column per
 * question (a chain step, an option of a multiple choice) of the definition in force, then those
 * only older versions had. A cell of a question the answer's version did not have reads 「未質問」
 * (not asked), never a blank answer; an option its version did not offer reads 「選択肢なし」.
 */
import type { ChecklistDefinition, QuestionDef } from './definition/schema.js';
import { chainOf, chainPath, choiceOf, isAsked, type Answers } from './model.js';
import { answerText, yesNo } from './summary.js';
import { CHECKLIST } from '../messages/checklist.js';

export const NOT_ASKED = CHECKLIST.notAskedCell;
export const NOT_OFFERED = CHECKLIST.noOptionsCell;

export interface Column {
  header: string;
  /** The cell for answers given under `def`. */
  cell(def: ChecklistDefinition, a: Answers): string;
}

/** The questions of every definition, the one in force first, merged by id (options and steps too). */
export function mergedQuestions(defs: ChecklistDefinition[]): QuestionDef[] {
  const out: QuestionDef[] = [];
  for (const def of defs) {
    for (const q of def.questions) {
      const i = out.findIndex((x) => x.id === q.id);
      if (i < 0) {
        out.push(structuredClone(q));
        continue;
      }
      const m = out[i]!;
      if (m.kind === 'yesno-chain' && q.kind === 'yesno-chain') for (const st of q.steps) if (!m.steps.some((x) => x.id === st.id)) m.steps.push(st);
      if ((m.kind === 'multiple' || m.kind === 'single') && (q.kind === 'multiple' || q.kind === 'single')) for (const o of q.options) if (!m.options.some((x) => x.id === o.id)) m.options.push(o);
    }
  }
  return out;
}

function find(def: ChecklistDefinition, id: string): QuestionDef | undefined {
  return def.questions.find((q) => q.id === id);
}

/** The columns of the merged questions. */
export function answerColumns(defs: ChecklistDefinition[]): Column[] {
  const cols: Column[] = [];
  for (const q of mergedQuestions(defs)) {
    if (q.kind === 'yesno-chain') {
      q.steps.forEach((st, i) =>
        cols.push({
          header: `${q.label}-${i + 1} ${st.text}`,
          cell(def, a) {
            const own = find(def, q.id);
            if (own?.kind !== 'yesno-chain' || !own.steps.some((x) => x.id === st.id)) return NOT_ASKED;
            return chainPath(own, a).includes(st.id) && chainOf(a, own)[st.id] ? yesNo(chainOf(a, own)[st.id]) : '';
          },
        }),
      );
    } else if (q.kind === 'multiple') {
      for (const o of q.options) {
        cols.push({
          header: `${q.label} ${o.text}`,
          cell(def, a) {
            const own = find(def, q.id);
            if (!own || (own.kind !== 'multiple' && own.kind !== 'single')) return NOT_ASKED;
            if (!own.options.some((x) => x.id === o.id)) return NOT_OFFERED;
            return choiceOf(a, own)?.options.includes(o.id) ? '○' : '';
          },
        });
      }
      if (q.options.some((o) => o.freeText)) cols.push({ header: CHECKLIST.otherColumn(q.label), cell: (def, a) => (find(def, q.id) ? (choiceOf(a, find(def, q.id)!)?.other ?? '') : NOT_ASKED) });
    } else {
      cols.push({
        header: `${q.label} ${q.title}`,
        cell(def, a) {
          const own = find(def, q.id);
          if (!own || own.kind !== q.kind) return NOT_ASKED;
          return a[q.id] === undefined ? '' : answerText(own, a);
        },
      });
    }
  }
  return cols;
}

/** Whether an answer under `def` was asked the question `id` (it existed and its condition held). */
export function wasAsked(def: ChecklistDefinition, id: string, a: Answers): boolean {
  const q = find(def, id);
  return Boolean(q && isAsked(def, q, a));
}
