/**
 * The checklist's steps as dialog steps (issue 18: on Slack the checklist is walked in one modal,
 * so a municipality's answers never appear in the channel). Each step shows the same question as
 * its message (steps.ts), but the answer is entered in the dialog's fields and sent with its submit
 * button: 「次へ」 on a question, 「送信する」 on the review. Yes/no, 戻る, 中断する and 該当なし
 * stay buttons, which move on at once. A refused answer is shown at the field it concerns.
 */
import type { Block, Control, Dialog, DialogField } from '../engine/types.js';
import { CHECKLIST } from '../messages/checklist.js';
import { D } from '../messages/dialog.js';
import type { Ctx } from './context.js';
import { askedQuestions, choiceOf, otherLimit, questionOfStep } from './model.js';
import { act, type ChecklistState } from './state.js';

/** A select can show this many options; a longer list (a prefecture's own municipalities) is typed instead. */
const MAX_LISTED = 100;
/** Option labels longer than this are cut in a select, so the full texts are listed above it. */
const MAX_OPTION_LABEL = 75;

const FOOTER: Control[] = [
  { kind: 'button', action: act('back'), label: CHECKLIST.back },
  { kind: 'button', action: act('cancel'), label: CHECKLIST.pause },
];
const CANCEL: Control[] = [{ kind: 'button', action: act('cancel'), label: CHECKLIST.pause }];

/** The field a refusal concerns: the choice unless said otherwise. */
export type HintField = 'choice' | 'other' | 'text';

/**
 * The dialog step of the state `s`. `header` is the step's context line (as in its message), `hint`
 * why the last answer was refused and `hintField` the field it concerns.
 */
export function stepDialog(ctx: Ctx, s: ChecklistState, header: Block[], messageBlocks: Block[], hint?: string, hintField?: HintField): Dialog {
  const def = ctx.services.checklistDefinitions.current;
  const title = s.preview ? CHECKLIST.previewDialogTitle : CHECKLIST.dialogTitle;
  const hintBlocks: Block[] = hint ? [{ type: 'text', text: `⚠ ${hint}` }] : [];
  const ask = (blocks: Block[], fields: DialogField[], formId: string, submitLabel: string = D.next): Dialog => ({
    title,
    blocks: [...blocks, { type: 'context', text: CHECKLIST.closeKeepsDraft }],
    fields,
    formId,
    submitLabel,
    ...(hint ? { error: { field: hintField ?? fields[0]!.id, message: hint } } : {}),
  });

  if (s.at === 'bind') {
    const list = ctx.services.municipalities.all(Boolean(ctx.services.config.municipalitiesFile));
    const intro: Block[] = [{ type: 'text', text: CHECKLIST.bindText }, ...hintBlocks, { type: 'actions', controls: CANCEL }];
    if (list.length && list.length <= MAX_LISTED) {
      return ask(intro, [{ id: 'choice', kind: 'choice', label: CHECKLIST.municipalityField, multi: false, required: true, options: list.map((m) => ({ label: m.name, value: m.id })) }], act('bind'));
    }
    return ask(intro, [{ id: 'text', kind: 'text', label: CHECKLIST.municipalityNameField, required: true, maxLength: 40, placeholder: CHECKLIST.municipalityNamePlaceholder }], act('bind'));
  }
  if (s.at === 'bind-reading') {
    const blocks: Block[] = [{ type: 'text', text: CHECKLIST.readingDialogPrompt(s.pendingName) }, ...hintBlocks, { type: 'actions', controls: [{ kind: 'button', action: act('skip-reading'), label: CHECKLIST.skip }, ...FOOTER] }];
    return ask(blocks, [{ id: 'text', kind: 'text', label: CHECKLIST.readingField, required: true, maxLength: 30 }], act('bind-reading'));
  }
  if (s.at === 'review') {
    const blocks: Block[] = [
      ...messageBlocks.filter((b) => b.type === 'header' || b.type === 'fields' || b.type === 'text'),
      { type: 'actions', controls: [{ kind: 'select', action: act('edit'), placeholder: CHECKLIST.editSelect, options: askedQuestions(def, s.answers).map((q) => ({ label: `${q.label} ${q.title}`.slice(0, MAX_OPTION_LABEL), value: q.id })) }, ...CANCEL] },
    ];
    // the review has no field: a refusal (an answer left incomplete) is shown in its text
    return { title, blocks, formId: act('submit'), submitLabel: D.send };
  }
  const q = questionOfStep(def, s.at);
  if (!q || q.kind === 'yesno-chain') return { title, blocks: messageBlocks };
  const first = def.questions[0] === q && !s.editing;
  const footer: Block = { type: 'actions', controls: first ? CANCEL : FOOTER };
  const prompt: Block = { type: 'text', text: `${q.label} ${q.prompt}` };
  if (s.at === `${q.id}other` && (q.kind === 'multiple' || q.kind === 'single')) {
    const other = q.options.find((o) => o.freeText);
    const initial = choiceOf(s.answers, q)?.other;
    return ask([...header, prompt, ...hintBlocks, { type: 'actions', controls: FOOTER }], [{ id: 'text', kind: 'text', label: CHECKLIST.otherField(other?.text ?? CHECKLIST.otherContent), required: true, maxLength: otherLimit(q), ...(initial ? { initial } : {}) }], act(s.at));
  }
  switch (q.kind) {
    case 'text': {
      const initial = typeof s.answers[q.id] === 'string' ? (s.answers[q.id] as string) : undefined;
      return ask([...header, prompt, ...hintBlocks, footer], [{ id: 'text', kind: 'textarea', label: CHECKLIST.fieldLimit(`${q.label} ${q.title}`, q.maxLength), required: true, maxLength: q.maxLength, ...(initial ? { initial } : {}) }], act(q.id));
    }
    case 'number': {
      const range = q.min !== undefined || q.max !== undefined ? `${q.min ?? ''}〜${q.max ?? ''}${q.unit ?? ''}` : (q.unit ?? '');
      const initial = typeof s.answers[q.id] === 'number' ? String(s.answers[q.id]) : undefined;
      return ask([...header, prompt, ...hintBlocks, footer], [{ id: 'text', kind: 'text', label: CHECKLIST.numberField(`${q.label} ${q.title}`, range), required: true, maxLength: 20, placeholder: CHECKLIST.numberPlaceholder, ...(initial ? { initial } : {}) }], act(q.id));
    }
    default: {
      const multi = q.kind === 'multiple';
      const previous = choiceOf(s.answers, q);
      const other = q.options.find((o) => o.freeText);
      const long = q.options.some((o) => o.text.length > MAX_OPTION_LABEL);
      const none = multi && q.allowNone;
      const blocks: Block[] = [
        ...header,
        prompt,
        ...(long ? [{ type: 'list' as const, items: q.options.map((o, i) => `${i + 1}. ${o.text}`) }] : []),
        ...hintBlocks,
        { type: 'actions', controls: [...(none ? [{ kind: 'button' as const, action: act(`${q.id}-none`), label: CHECKLIST.none }] : []), ...(first ? CANCEL : FOOTER)] },
      ];
      const fields: DialogField[] = [
        {
          id: 'choice',
          kind: 'choice',
          label: multi ? CHECKLIST.multiSelect : CHECKLIST.singleSelect,
          multi,
          required: true,
          options: q.options.map((o, i) => ({ label: long ? `${i + 1}. ${o.text}`.slice(0, MAX_OPTION_LABEL) : o.text, value: o.id })),
          ...(previous?.options.length ? { initial: previous.options } : {}),
        },
        ...(other ? [{ id: 'other', kind: 'text' as const, label: CHECKLIST.otherField(other.text), required: false, maxLength: otherLimit(q), ...(previous?.other ? { initial: previous.other } : {}) }] : []),
      ];
      return ask(blocks, fields, act(q.id));
    }
  }
}
