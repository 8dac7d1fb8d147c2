/**
 * Multi-step dialogs as one Slack modal (issue 18): a flow whose steps the core marks as dialog
 * steps (the checklist) is walked inside a modal that stays open, so nothing of it is posted in the
 * channel. The modal opens with views.open on the command's trigger_id (single-use, about 3 s);
 * a button or select inside it is a block action, answered with views.update; a submission is a
 * view_submission, answered in its acknowledgement with response_action "update" (the next step)
 * or "errors" (a refused answer, shown under its field).
 * https://api.slack.com/surfaces/modals, https://api.slack.com/reference/interaction-payloads/views
 */
import { D, dialogParts, type DialogField, type Reply } from '../../src/core.js';
import { cut, MAX_BLOCKS_PER_MODAL, MAX_INPUT_LABEL, MAX_INPUT_LENGTH, MAX_MODAL_BUTTON, MAX_MODAL_TITLE, MAX_OPTION_TEXT, MAX_OPTION_VALUE, MAX_PLACEHOLDER, MAX_PRIVATE_METADATA, MAX_SELECT_OPTIONS } from './limits.js';
import { plain, renderBlocks } from './render.js';

/** The callback_id of every dialog view (forms opened for one answer keep 'pf-form'). */
export const DIALOG_CALLBACK = 'pf-dialog';

/** What a dialog view remembers (private_metadata): where the flow lives, what a submission is, what a close sends. */
export interface DialogOrigin {
  /** The channel the flow was started in: the flow's state is keyed by it. */
  channel: string;
  thread?: string;
  team?: string;
  /** The form id a submission is sent as (absent when the step has no submit button). */
  formId?: string;
  /** The action sent when the user closes the modal before the flow is done. */
  closeAction?: string;
}

interface Metadata {
  c: string;
  t?: string;
  w?: string;
  f?: string;
  x?: string;
}

/** A dialog view's metadata, or null when it is not one of ours (or was tampered with). */
export function dialogOrigin(privateMetadata: string | undefined): DialogOrigin | null {
  try {
    const m = JSON.parse(privateMetadata ?? '') as Partial<Metadata>;
    if (typeof m.c !== 'string' || !m.c) return null;
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
    const [thread, team, formId, closeAction] = [str(m.t), str(m.w), str(m.f), str(m.x)];
    return { channel: m.c, ...(thread ? { thread } : {}), ...(team ? { team } : {}), ...(formId ? { formId } : {}), ...(closeAction ? { closeAction } : {}) };
  } catch {
    return null;
  }
}

/**
 * An input's block_id: the form's id with the field's, so that each step's inputs are new to Slack
 * (it keeps what was entered in an input whose block_id a views.update repeats).
 */
const blockId = (formId: string, field: string): string => cut(`${formId}|${field}`, 255);

function input(formId: string, f: DialogField): Record<string, unknown> {
  const base = { type: 'input', block_id: blockId(formId, f.id), optional: !f.required, label: plain(f.label, MAX_INPUT_LABEL) };
  if (f.kind === 'choice') {
    const options = f.options.slice(0, MAX_SELECT_OPTIONS).map((o) => ({ text: plain(o.label, MAX_OPTION_TEXT), value: cut(o.value, MAX_OPTION_VALUE) }));
    const initial = options.filter((o) => f.initial?.includes(o.value));
    return {
      ...base,
      element: {
        type: f.multi ? 'multi_static_select' : 'static_select',
        action_id: 'value',
        placeholder: plain(f.label, MAX_PLACEHOLDER),
        options,
        ...(initial.length ? (f.multi ? { initial_options: initial } : { initial_option: initial[0] }) : {}),
      },
    };
  }
  const max = Math.min(f.maxLength ?? MAX_INPUT_LENGTH, MAX_INPUT_LENGTH);
  return {
    ...base,
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: f.kind === 'textarea',
      max_length: max,
      ...(f.placeholder ? { placeholder: plain(f.placeholder, MAX_PLACEHOLDER) } : {}),
      ...(f.initial ? { initial_value: cut(f.initial, max) } : {}),
    },
  };
}

/**
 * An event's replies as one modal view: the notes on top, then the step (its dialog blocks and its
 * fields as inputs). A done step, or notes alone, make a view that can only be closed. `title` is
 * used when no reply is a step (a note in a dialog whose flow has ended).
 */
export function renderDialog(replies: Reply[], origin: DialogOrigin, title: string): Record<string, unknown> {
  const { step, notes } = dialogParts(replies);
  const d = step?.dialog;
  const done = !d || Boolean(d.done);
  const formId = !done && d.formId && d.submitLabel ? d.formId : undefined;
  const closeAction = !done ? d.closeAction : undefined;
  const shown = [...notes.flatMap((r) => r.blocks), ...(d?.blocks ?? step?.blocks ?? [])].filter((b) => !done || b.type !== 'actions');
  const fields = formId ? (d?.fields ?? []).map((f) => input(formId, f)) : [];
  const body = renderBlocks(shown).slice(0, MAX_BLOCKS_PER_MODAL - fields.length);
  const metadata: Metadata = { c: origin.channel, ...(origin.thread ? { t: origin.thread } : {}), ...(origin.team ? { w: origin.team } : {}), ...(formId ? { f: formId } : {}), ...(closeAction ? { x: closeAction } : {}) };
  return {
    type: 'modal',
    callback_id: DIALOG_CALLBACK,
    title: plain(d?.title || title, MAX_MODAL_TITLE),
    close: plain(D.close, MAX_MODAL_BUTTON),
    ...(formId ? { submit: plain(d!.submitLabel!, MAX_MODAL_BUTTON) } : {}),
    // a close before the end pauses the flow (view_closed), so that text typed later is not taken as an answer
    ...(closeAction ? { notify_on_close: true } : {}),
    private_metadata: cut(JSON.stringify(metadata), MAX_PRIVATE_METADATA),
    blocks: [...(body.length ? body : [{ type: 'section', text: { type: 'mrkdwn', text: ' ' } }]), ...fields],
  };
}

/** A view that says a submission is being handled (when the core needs longer than Slack waits for the acknowledgement). */
export function workingView(title: string): Record<string, unknown> {
  return { type: 'modal', callback_id: DIALOG_CALLBACK, title: plain(title, MAX_MODAL_TITLE), close: plain(D.close, MAX_MODAL_BUTTON), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: D.working } }] };
}

/**
 * The errors to acknowledge a submission with (response_action "errors"), when the core refused the
 * answer and the step is still the one submitted: the message under the field it concerns.
 */
export function submissionErrors(replies: Reply[], submittedFormId: string): Record<string, string> | null {
  const d = dialogParts(replies).step?.dialog;
  if (!d?.error || d.done || d.formId !== submittedFormId) return null;
  const field = d.fields?.find((f) => f.id === d.error!.field);
  return field ? { [blockId(submittedFormId, field.id)]: cut(d.error.message, 2000) } : null;
}

/** One input's state in a view_submission (a text input, or a select). */
export interface InputState {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
}

/** A submission's values as a form event's text fields and choices (inputs of the submitted step only). */
export function submittedValues(values: Record<string, Record<string, InputState>>, formId: string): { fields: Record<string, string>; choices: Record<string, string[]> } {
  const fields: Record<string, string> = {};
  const choices: Record<string, string[]> = {};
  const prefix = `${formId}|`;
  for (const [block, byAction] of Object.entries(values)) {
    if (!block.startsWith(prefix)) continue;
    const field = block.slice(prefix.length);
    const state = byAction.value;
    if (!state) continue;
    if (state.selected_options) choices[field] = state.selected_options.map((o) => o.value);
    else if (state.selected_option !== undefined) choices[field] = state.selected_option ? [state.selected_option.value] : [];
    else fields[field] = state.value ?? '';
  }
  return { fields, choices };
}
