/**
 * /pf-checklist: the municipal checklist answered in chat, driven by the definition in force
 * (the prefecture's CHECKLIST_FILE, or the handbook's 図6): its questions in order, a yes/no chain
 * one step at a time, a question asked only when its condition holds; progress saved after every
 * answer (the flow runtime persists it); a review where any answer can be changed before sending;
 * sending creates a new version recording the definition's version, and shows the summary.
 * A flow started under an older definition is told that the checklist changed and goes on under
 * the new one with the answers that still apply. An admin's preview walks the same steps and
 * stores nothing. What each step shows is in steps.ts (and dialog.ts, for the Slack modal that
 * walks the checklist: there a choice and its その他 text arrive together in one submission); the
 * saved state in state.ts.
 */
import { authorize } from '../engine/auth.js';
import type { FlowDefinition, FlowInput, StepOutcome } from '../engine/flow-definition.js';
import type { Effect, Reply } from '../engine/types.js';
import { V } from '../messages/visibility.js';
import { text } from '../engine/types.js';
import { normalizeForMatch, toHiragana } from '../knowledge/normalize.js';
import type { Ctx } from './context.js';
import type { ChoiceQuestion } from './definition/schema.js';
import { carryOver, choiceOf, exclusiveMessage, nextStep, otherLimit, prune, questionOfStep, validateAnswers, type Answers } from './model.js';
import { act, ID, State, type ChecklistState } from './state.js';
import { currentDefinition, freeTextForm, municipalityName, renderStep } from './steps.js';
import { requestMembership } from './membership.js';
import { summaryBlocks } from './summary.js';
import { CHECKLIST } from '../messages/checklist.js';

/** Reads "1,3" or option texts typed for a choice question. */
function parseChoices(q: ChoiceQuestion, input: string): string[] | null {
  const t = input.normalize('NFKC').trim();
  if (/^[\d\s,、・]+$/.test(t)) {
    const nums = t.split(/[\s,、・]+/).filter(Boolean).map(Number);
    if (nums.some((n) => !Number.isInteger(n) || n < 1 || n > q.options.length)) return null;
    return [...new Set(nums)].map((n) => q.options[n - 1]!.id);
  }
  const hit = q.options.filter((o) => normalizeForMatch(o.text) === normalizeForMatch(t));
  return hit.length ? hit.map((o) => o.id) : null;
}

/** After an answer: drop what no longer applies and go to the first unanswered step, or the review. */
function advance(ctx: Ctx, s: ChecklistState, answers: Answers): StepOutcome<ChecklistState> {
  const def = currentDefinition(ctx);
  const pruned = prune(def, answers);
  const next: ChecklistState = { ...s, answers: pruned, at: nextStep(def, pruned) };
  return { state: next, replies: [renderStep(ctx, next)] };
}

/**
 * A choice and its その他 text submitted together (a dialog's fields): the text is checked against
 * the choice, then the choice is taken as from a select, keeping the text.
 */
function chooseWithText(ctx: Ctx, s: ChecklistState, q: ChoiceQuestion, values: string[], typed: string): StepOutcome<ChecklistState> {
  const stay = (hint: string): StepOutcome<ChecklistState> => ({ state: s, replies: [renderStep(ctx, s, hint, 'other')], sameStep: true });
  const other = q.options.find((o) => o.freeText);
  if (!other) return choose(ctx, s, q, values);
  const chosen = values.includes(other.id);
  if (chosen && !typed) return stay(CHECKLIST.otherMissing(other.text));
  if (!chosen && typed) return stay(CHECKLIST.otherWithoutChoice(other.text));
  if (typed.length > otherLimit(q)) return stay(CHECKLIST.otherTooLong(typed.length, otherLimit(q)));
  return choose(ctx, s, q, values, chosen ? typed : undefined);
}

function choose(ctx: Ctx, s: ChecklistState, q: ChoiceQuestion, values: string[], otherText?: string): StepOutcome<ChecklistState> {
  const stay = (hint: string): StepOutcome<ChecklistState> => ({ state: s, replies: [renderStep(ctx, s, hint, 'choice')], sameStep: true });
  if (values.some((v) => !q.options.some((o) => o.id === v))) return stay(CHECKLIST.notAnOption);
  const exclusive = q.options.find((o) => o.exclusive && values.includes(o.id));
  if (exclusive && values.length > 1) return stay(CHECKLIST.exclusiveChoose(exclusiveMessage(q, exclusive.text)));
  if (q.kind === 'single' && values.length !== 1) return stay(CHECKLIST.chooseOne(q.label));
  if (!values.length && !(q.kind === 'multiple' && q.allowNone)) return stay(CHECKLIST.chooseAtLeastOne(q.label));
  const other = q.options.find((o) => o.freeText);
  const previous = choiceOf(s.answers, q);
  const keepOther = otherText ?? (other && values.includes(other.id) && previous?.options.includes(other.id) ? previous.other : undefined);
  return advance(ctx, s, { ...s.answers, [q.id]: { options: values, ...(keepOther ? { other: keepOther } : {}) } });
}

function bindTo(ctx: Ctx, s: ChecklistState, municipalityId: string): StepOutcome<ChecklistState> {
  // membership is granted, not taken: anyone else files a request an admin decides (membership.ts)
  if (!authorize(ctx.services, ctx.actor, 'checklist.answer', { municipalityId }).ok) return requestMembership(ctx, municipalityId);
  const next: ChecklistState = { ...s, municipalityId, pendingName: undefined, at: nextStep(currentDefinition(ctx), s.answers) };
  const latest = ctx.services.checklists.latest(municipalityId);
  const note: Reply[] = [text(CHECKLIST.answeringFor(municipalityName(ctx, municipalityId), latest ? latest.version : null))];
  return { state: next, replies: [...note, renderStep(ctx, next)] };
}

function bindByName(ctx: Ctx, s: ChecklistState, name: string): StepOutcome<ChecklistState> {
  const { municipalities, config } = ctx.services;
  const found = municipalities.find(name);
  if (found.length === 1) return bindTo(ctx, s, found[0]!.id);
  if (found.length > 1) {
    return {
      state: s,
      replies: [{ blocks: [{ type: 'text', text: CHECKLIST.chooseMunicipality(name) }, { type: 'actions', controls: found.slice(0, 10).map((m) => ({ kind: 'button' as const, action: act('bind'), value: m.id, label: m.name })) }] }],
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
            { type: 'text', text: CHECKLIST.notInList(name.slice(0, 30), close.length > 0) },
            ...(close.length ? [{ type: 'actions' as const, controls: close.map((m) => ({ kind: 'button' as const, action: act('bind'), value: m.id, label: m.name })) }] : []),
          ],
        },
      ],
      sameStep: true,
    };
  }
  if (!/(市|町|村|区)$/.test(normalizeForMatch(name)) || normalizeForMatch(name).length > 20) {
    return { state: s, replies: [renderStep(ctx, s, CHECKLIST.municipalityForm)], sameStep: true };
  }
  const next: ChecklistState = { ...s, pendingName: normalizeForMatch(name), at: 'bind-reading' };
  return { state: next, replies: [renderStep(ctx, next)] };
}

async function submit(ctx: Ctx, s: ChecklistState): Promise<StepOutcome<ChecklistState>> {
  const { kb, checklists } = ctx.services;
  const def = currentDefinition(ctx);
  if (!s.municipalityId && !s.preview) return { state: { ...s, at: 'bind' }, replies: [renderStep(ctx, { ...s, at: 'bind' })] };
  if (!s.preview) {
    const decision = authorize(ctx.services, ctx.actor, 'checklist.answer', { municipalityId: s.municipalityId! });
    if (!decision.ok) return { replies: [text(decision.message)] };
  }
  const { answers, problems } = validateAnswers(def, s.answers);
  if (!answers) {
    const q = def.questions.find((x) => x.id === problems[0]!.question)!;
    const fix: ChecklistState = { ...s, at: q.kind === 'yesno-chain' ? q.steps[0]!.id : q.id, editing: true };
    return { state: fix, replies: [renderStep(ctx, fix, problems[0]!.message)] };
  }
  if (s.preview) return { replies: [{ blocks: summaryBlocks(kb, def, CHECKLIST.preview, null, answers) }] };
  const municipalityId = s.municipalityId!;
  const a = ctx.actor;
  // saved in the same transaction as the flow's end (the runtime runs commit): a retry after a failure submits once
  return {
    replies: [],
    commit: () => {
      const saved = checklists.submit(municipalityId, answers, a.platform, a.userId, ctx.now, def.version);
      const blocks = summaryBlocks(kb, def, municipalityName(ctx, municipalityId), saved.version, answers);
      // the receipt goes to the user's DM too: the private reply in a channel does not last
      const receipt: Effect[] = a.isDirect ? [] : [{ type: 'deliver', target: { platform: a.platform, userId: a.userId, workspaceId: a.workspaceId }, reply: { blocks: [{ type: 'context', text: V.receiptByDm }, ...blocks] }, reason: 'user_notice' }];
      return { replies: [{ blocks }], effects: receipt };
    },
  };
}

/** A state saved under another definition, moved to the one in force: the answers that still apply, the first step left. */
function carried(ctx: Ctx, s: ChecklistState): { state: ChecklistState; notice: Reply } | null {
  const def = currentDefinition(ctx);
  if (s.defVersion === def.version) return null;
  const answers = carryOver(def, s.answers);
  const kept = Object.keys(answers).length;
  const at = s.at === 'bind' || s.at === 'bind-reading' ? s.at : nextStep(def, answers);
  const state: ChecklistState = { ...s, answers, at, defVersion: def.version, editing: false };
  return {
    state,
    notice: text(CHECKLIST.definitionChanged(s.defVersion, def.version, kept)),
  };
}

async function step(saved: ChecklistState, input: FlowInput, ctx: Ctx): Promise<StepOutcome<ChecklistState>> {
  const moved = carried(ctx, saved);
  const s = moved?.state ?? saved;
  const outcome = await stepIn(s, input, ctx);
  if (!moved) return outcome;
  // the input may have been meant for a step of the old definition: keep the move even when it is refused
  return { ...outcome, state: outcome.state ?? undefined, replies: [moved.notice, ...outcome.replies], ...(outcome.sameStep ? { sameStep: true } : {}) };
}

async function stepIn(s: ChecklistState, input: FlowInput, ctx: Ctx): Promise<StepOutcome<ChecklistState>> {
  const def = currentDefinition(ctx);
  const name = input.kind === 'text' ? null : input.kind === 'action' ? input.action.split(':')[2]! : input.formId.split(':')[2]!;
  const value = input.kind === 'action' ? input.value : '';
  const typed = input.kind === 'text' ? input.text.trim() : input.kind === 'form' ? (input.fields.text ?? '').trim() : '';
  // what a dialog's choice field sent (the municipality, or a question's options)
  const picked = input.kind === 'form' ? input.choices?.choice : undefined;
  const stay = (hint: string): StepOutcome<ChecklistState> => ({ state: s, replies: [renderStep(ctx, s, hint)], sameStep: true });

  // buttons that open a form for free text (Slack/Discord modals)
  if (name?.endsWith('-form') && name === `${s.at}-form`) return { state: s, replies: [freeTextForm(s, ctx)], sameStep: true };
  if (name === 'edit') {
    const id = input.kind === 'action' ? (input.values?.[0] ?? value) : '';
    const q = def.questions.find((x) => x.id === id);
    if (!q) return stay(CHECKLIST.chooseEdit);
    const next: ChecklistState = { ...s, at: q.kind === 'yesno-chain' ? q.steps[0]!.id : q.id, editing: true };
    return { state: next, replies: [renderStep(ctx, next)] };
  }
  if (name === 'submit') {
    if (s.at !== 'review') return stay(CHECKLIST.notAllAnswered);
    return submit(ctx, s);
  }
  if (name !== null && name !== s.at && name !== `${s.at}-none` && !(name === 'skip-reading' && s.at === 'bind-reading')) {
    return stay(CHECKLIST.staleButton);
  }

  switch (s.at) {
    case 'bind':
      if (input.kind === 'action' || picked) {
        const id = picked?.[0] ?? (input.kind === 'action' ? (input.values?.[0] ?? value) : '');
        return ctx.services.municipalities.get(id) ? bindTo(ctx, s, id) : stay(CHECKLIST.notListed);
      }
      return typed ? bindByName(ctx, s, typed.slice(0, 40)) : stay(CHECKLIST.chooseOrType);
    case 'bind-reading': {
      const skip = name === 'skip-reading' || /^スキップ$/.test(typed);
      const reading = skip ? null : toHiragana(normalizeForMatch(typed));
      if (!skip && !/^[ぁ-ゖー]{1,30}$/.test(reading ?? '')) return stay(CHECKLIST.readingHiragana);
      const m = ctx.services.municipalities.add(s.pendingName!, reading);
      return bindTo(ctx, s, m.id);
    }
    case 'review':
      return stay(CHECKLIST.reviewHint);
  }
  const q = questionOfStep(def, s.at);
  if (!q) return advance(ctx, s, s.answers);
  if (q.kind === 'yesno-chain') {
    const v = input.kind === 'action' ? value : /^(はい|はーい|yes|y|ある|できている|進めている)$/i.test(typed) ? 'yes' : /^(いいえ|no|n|ない|できていない|進めていない)$/i.test(typed) ? 'no' : null;
    if (v !== 'yes' && v !== 'no') return stay(CHECKLIST.yesOrNo(typed.slice(0, 20)));
    // answering a step of the flowchart invalidates the ones after it
    const i = q.steps.findIndex((x) => x.id === s.at);
    const before = (s.answers[q.id] ?? {}) as Record<string, string>;
    const chain = Object.fromEntries(q.steps.slice(0, i).filter((x) => before[x.id]).map((x) => [x.id, before[x.id]]));
    return advance(ctx, s, { ...s.answers, [q.id]: { ...chain, [s.at]: v } });
  }
  if (q.kind === 'text') {
    if (!typed) return stay(CHECKLIST.textEmpty(q.label));
    if (typed.length > q.maxLength) return stay(CHECKLIST.textTooLong(typed.length, q.maxLength));
    return advance(ctx, s, { ...s.answers, [q.id]: typed });
  }
  if (q.kind === 'number') {
    // 「12」「１２人」「1,200」: a number, optionally followed by its unit
    const m = /^([+-]?\d+(?:\.\d+)?)\D{0,10}$/.exec(typed.normalize('NFKC').replace(/[,\s]/g, ''));
    const n = m ? Number(m[1]) : NaN;
    if (!Number.isFinite(n)) return stay(CHECKLIST.numberDigits);
    if (q.integer && !Number.isInteger(n)) return stay(CHECKLIST.numberInteger);
    if ((q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max)) return stay(CHECKLIST.numberRange(q.min ?? '', q.max ?? ''));
    return advance(ctx, s, { ...s.answers, [q.id]: n });
  }
  if (s.at === `${q.id}other`) {
    if (!typed) return stay(CHECKLIST.otherEmpty);
    if (typed.length > otherLimit(q)) return stay(CHECKLIST.otherTooLong(typed.length, otherLimit(q)));
    const other = q.options.find((o) => o.freeText)!;
    return advance(ctx, s, { ...s.answers, [q.id]: { options: choiceOf(s.answers, q)?.options ?? [other.id], other: typed } });
  }
  if (name === `${q.id}-none`) return choose(ctx, s, q, []);
  if (input.kind === 'form' && s.at === q.id) return chooseWithText(ctx, s, q, picked ?? [], (input.fields.other ?? '').trim());
  if (input.kind === 'action') return choose(ctx, s, q, input.values ?? (value ? [value] : []));
  if (q.kind === 'multiple' && q.allowNone && /^(該当なし|なし|特になし|ない)$/.test(typed)) return choose(ctx, s, q, []);
  const values = parseChoices(q, typed);
  if (!values) return stay(CHECKLIST.chooseNumbers(q.options.length, q.kind === 'multiple'));
  return choose(ctx, s, q, values);
}

/** The argument of `start` that opens an admin's preview. */
export const PREVIEW = '\u0000preview';

export const checklistFlow: FlowDefinition<ChecklistState, Ctx> = {
  id: ID,
  name: CHECKLIST.flowName,
  version: 1,
  schema: State,
  capturesText: true,
  private: true,
  keepsDraft: true,
  dialog: { title: CHECKLIST.dialogTitle },
  start(ctx, args) {
    const def = currentDefinition(ctx);
    if (args === PREVIEW) {
      const s: ChecklistState = { at: nextStep(def, {}), answers: {}, defVersion: def.version, preview: true };
      return { state: s, replies: [text(CHECKLIST.previewIntro(def.version, def.questions.length)), renderStep(ctx, s)] };
    }
    const municipalityId = args || undefined;
    const s: ChecklistState = { at: municipalityId ? nextStep(def, {}) : 'bind', answers: {}, defVersion: def.version, ...(municipalityId ? { municipalityId } : {}) };
    return { state: s, replies: [renderStep(ctx, s)] };
  },
  step,
  render(s, ctx) {
    const moved = carried(ctx, s);
    return moved ? [moved.notice, renderStep(ctx, moved.state)] : [renderStep(ctx, s)];
  },
};
