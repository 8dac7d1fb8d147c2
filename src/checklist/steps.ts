/**
 * What each step of the checklist shows, from the definition in force: the municipality choice,
 * a yes/no chain one question at a time (図6 Q1's flowchart), free text, multiple or single choice
 * with その他, a number, and the review before sending. Each step is a message and, for platforms
 * that walk the checklist in a dialog (a Slack modal), a dialog step (dialog.ts).
 */
import type { Block, Control, Reply } from '../engine/types.js';
import type { Ctx } from './context.js';
import type { ChecklistDefinition, QuestionDef } from './definition/schema.js';
import { stepDialog, type HintField } from './dialog.js';
import { askedQuestions, chainOf, choiceOf, otherLimit, questionOfStep } from './model.js';
import { act, type ChecklistState } from './state.js';
import { answerLines, answerText } from './summary.js';
import { CHECKLIST } from '../messages/checklist.js';

const FOOTER: Control[] = [
  { kind: 'button', action: act('back'), label: CHECKLIST.back },
  { kind: 'button', action: act('cancel'), label: CHECKLIST.pause },
];

export function municipalityName(ctx: Ctx, id?: string): string {
  return (id && ctx.services.municipalities.get(id)?.name) || CHECKLIST.noMunicipality;
}

/** The definition in force. */
export const currentDefinition = (ctx: Ctx): ChecklistDefinition => ctx.services.checklistDefinitions.current;

function header(ctx: Ctx, s: ChecklistState, label: string): Block[] {
  const def = currentDefinition(ctx);
  const who = s.preview ? CHECKLIST.previewWho : municipalityName(ctx, s.municipalityId);
  return [{ type: 'context', text: CHECKLIST.stepContext(def.source, who, label) }];
}

const KIND_LABEL: Record<QuestionDef['kind'], string> = CHECKLIST.kindLabels;

/** The context line of a question step (the same in its message and its dialog step). */
function questionHeader(ctx: Ctx, s: ChecklistState): Block[] {
  const q = questionOfStep(currentDefinition(ctx), s.at);
  if (!q || q.kind === 'yesno-chain') return [];
  return header(ctx, s, s.at === `${q.id}other` ? `${q.label} その他` : `${q.label}（${KIND_LABEL[q.kind]}）`);
}

/**
 * Shows the current step, as a message and as a dialog step. `hint` explains why an input was not
 * accepted; `hintField` is the dialog field it concerns.
 */
export function renderStep(ctx: Ctx, s: ChecklistState, hint?: string, hintField?: HintField): Reply {
  const { blocks } = messageStep(ctx, s, hint);
  return { blocks, dialog: stepDialog(ctx, s, questionHeader(ctx, s), blocks, hint, hintField) };
}

/** The step as a message: buttons and selects that act at once, and text typed as an answer. */
function messageStep(ctx: Ctx, s: ChecklistState, hint?: string): Reply {
  const def = currentDefinition(ctx);
  const blocks: Block[] = [];
  const hintBlock = (): void => {
    if (hint) blocks.push({ type: 'text', text: `⚠ ${hint}` });
  };
  if (s.at === 'bind') {
    const list = ctx.services.municipalities.all(Boolean(ctx.services.config.municipalitiesFile));
    blocks.push({ type: 'header', text: CHECKLIST.bindHeader(def.source ? def.source.replace(/^手引き\s*/, '').replace(/・.*$/, '') : null) }, { type: 'text', text: CHECKLIST.bindText });
    hintBlock();
    if (list.length) {
      blocks.push({ type: 'actions', controls: [{ kind: 'select', action: act('bind'), placeholder: CHECKLIST.bindSelect, options: list.slice(0, 100).map((m) => ({ label: m.name, value: m.id })) }] });
      blocks.push({ type: 'context', text: CHECKLIST.bindTypeHint });
    } else {
      blocks.push({ type: 'text', text: CHECKLIST.bindType });
    }
    blocks.push({ type: 'actions', controls: [{ kind: 'button', action: act('cancel'), label: CHECKLIST.quit }] });
    return { blocks };
  }
  if (s.at === 'bind-reading') {
    blocks.push({ type: 'text', text: CHECKLIST.readingPrompt(s.pendingName) });
    hintBlock();
    return { blocks: [...blocks, { type: 'actions', controls: [{ kind: 'button', action: act('skip-reading'), label: CHECKLIST.skip }, ...FOOTER] }] };
  }
  if (s.at === 'review') {
    blocks.push({ type: 'header', text: CHECKLIST.reviewHeader(s.preview ? CHECKLIST.preview : municipalityName(ctx, s.municipalityId)) });
    hintBlock();
    blocks.push({ type: 'fields', fields: answerLines(def, s.answers) });
    blocks.push({ type: 'text', text: s.preview ? CHECKLIST.reviewTextPreview : CHECKLIST.reviewText });
    blocks.push({
      type: 'actions',
      controls: [
        { kind: 'button', action: act('submit'), label: CHECKLIST.submit, style: 'primary' },
        { kind: 'select', action: act('edit'), placeholder: CHECKLIST.editSelect, options: askedQuestions(def, s.answers).map((q) => ({ label: `${q.label} ${q.title}`.slice(0, 75), value: q.id })) },
        { kind: 'button', action: act('cancel'), label: CHECKLIST.pause },
      ],
    });
    return { blocks };
  }
  const q = questionOfStep(def, s.at);
  if (!q) return { blocks: [{ type: 'text', text: CHECKLIST.questionGone }] };
  const first = def.questions[0] === q;
  if (q.kind === 'yesno-chain') {
    const i = q.steps.findIndex((x) => x.id === s.at);
    blocks.push(...header(ctx, s, q.steps.length > 1 ? CHECKLIST.chainLabel(q.label, i + 1, q.steps.length) : CHECKLIST.yesNoLabel(q.label)));
    if (i === 0) blocks.push({ type: 'text', text: `${q.label} ${q.prompt}` });
    else blocks.push({ type: 'context', text: CHECKLIST.afterYes });
    // changing an answer from the review: show what it is now, so the user sees what they change
    const now = s.editing ? chainOf(s.answers, q)[s.at] : undefined;
    if (now) blocks.push({ type: 'context', text: CHECKLIST.currentAnswer(now === 'yes' ? CHECKLIST.yes : CHECKLIST.no) });
    hintBlock();
    blocks.push(
      { type: 'text', text: q.steps[i]!.text },
      { type: 'actions', controls: [{ kind: 'button', action: act(s.at), value: 'yes', label: CHECKLIST.yes, style: 'primary' }, { kind: 'button', action: act(s.at), value: 'no', label: CHECKLIST.no }, ...(first && i === 0 && !s.editing ? [{ kind: 'button' as const, action: act('cancel'), label: CHECKLIST.pause }] : FOOTER)] },
    );
    return { blocks };
  }
  const cancelOnly: Control[] = first && !s.editing ? [{ kind: 'button', action: act('cancel'), label: CHECKLIST.pause }] : FOOTER;
  if (s.at === `${q.id}other` && (q.kind === 'multiple' || q.kind === 'single')) {
    blocks.push(...header(ctx, s, CHECKLIST.otherLabel(q.label)), { type: 'text', text: CHECKLIST.otherPrompt(otherLimit(q)) });
    hintBlock();
    blocks.push({ type: 'actions', controls: [{ kind: 'button', action: act(`${s.at}-form`), label: CHECKLIST.enter, style: 'primary' }, ...FOOTER] });
    return { blocks };
  }
  blocks.push(...header(ctx, s, `${q.label}（${KIND_LABEL[q.kind]}）`), { type: 'text', text: `${q.label} ${q.prompt}` });
  if (s.editing && s.answers[q.id] !== undefined) blocks.push({ type: 'context', text: CHECKLIST.currentAnswer(answerText(q, s.answers)) });
  switch (q.kind) {
    case 'text':
      hintBlock();
      blocks.push(
        { type: 'context', text: CHECKLIST.textHint(q.maxLength) },
        { type: 'actions', controls: [{ kind: 'button', action: act(`${q.id}-form`), label: CHECKLIST.enter, style: 'primary' }, ...cancelOnly] },
      );
      return { blocks };
    case 'number':
      hintBlock();
      // no buttons here: a terminal reads a typed number as the number of a button
      blocks.push({ type: 'context', text: CHECKLIST.numberHint(q.min, q.max, q.unit) });
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
            ? { kind: 'select', action: act(q.id), placeholder: CHECKLIST.multiSelect, multi: true, minValues: 1, maxValues: q.options.length, options: q.options.map((o) => ({ label: o.text.slice(0, 75), value: o.id })), ...(initial?.length ? { initial } : {}) }
            : { kind: 'select', action: act(q.id), placeholder: CHECKLIST.singleSelect, options: q.options.map((o) => ({ label: o.text.slice(0, 75), value: o.id })) },
        ],
      });
      const none = multi && q.allowNone;
      blocks.push({ type: 'context', text: (multi ? CHECKLIST.multiHint : CHECKLIST.singleHint) + (none ? CHECKLIST.noneHint : '') });
      blocks.push({ type: 'actions', controls: [...(none ? [{ kind: 'button' as const, action: act(`${q.id}-none`), label: CHECKLIST.none }] : []), ...cancelOnly] });
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
    blocks: [{ type: 'text', text: isText ? CHECKLIST.enterLabel(q.label) : CHECKLIST.otherEmpty }],
    ephemeral: true,
    form: {
      id: act(s.at),
      title: isText ? `${q.label} ${KIND_LABEL.text}` : CHECKLIST.otherContent,
      submitLabel: CHECKLIST.next,
      fields: [{ id: 'text', label: isText ? q.prompt.slice(0, 45) : CHECKLIST.otherContent, kind: isText ? 'textarea' : 'text', required: true, maxLength: max, ...(initial ? { initial } : {}) }],
    },
  };
}
