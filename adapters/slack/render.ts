/**
 * Neutral replies rendered as Slack Block Kit. Limits are respected by construction: long text is
 * split into several sections, lists are chunked, selects are cut to 100 options, and a reply with
 * more blocks than a message allows is split into several messages (the last ones say they
 * continue). Every text users or documents supplied is escaped, so nothing becomes a mention.
 */
import { splitAtLines } from '../shared/text.js';
import { ADAPTERS, citationLabel, type Block, type Control, type Form, type Reply } from '../../src/core.js';
import {
  cut, length, MAX_ACTIONS_ELEMENTS, MAX_BLOCKS_PER_MESSAGE, MAX_BUTTON_TEXT, MAX_BUTTON_VALUE, MAX_CONTEXT_ELEMENTS, MAX_FIELD_TEXT,
  MAX_FALLBACK_TEXT, MAX_HEADER_TEXT, MAX_INPUT_LENGTH, MAX_MESSAGE_TEXT_TOTAL, MAX_MODAL_BUTTON, MAX_MODAL_TITLE, MAX_OPTION_TEXT,
  MAX_OPTION_VALUE, MAX_PLACEHOLDER, MAX_PRIVATE_METADATA, MAX_SECTION_FIELDS, MAX_SELECT_OPTIONS, textTotal,
} from './limits.js';

type SlackBlock = Record<string, unknown>;

/** Slack's control characters in text (& < >): escaped so user text cannot ping anyone. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SECTION_CHUNK = 2900;
/** Characters of option labels per select, and of text per actions block. */
const SELECT_TEXT_BUDGET = 5000;
const ACTIONS_TEXT_BUDGET = 6000;

/** Splits text into pieces that fit a section, at line breaks where possible. */
export function chunkText(text: string, max = SECTION_CHUNK): string[] {
  const pieces = splitAtLines(text, max);
  return pieces.length ? pieces : [' '];
}

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const plain = (text: string, max: number): { type: 'plain_text'; text: string; emoji: boolean } => ({ type: 'plain_text', text: cut(text || ' ', max), emoji: true });

/** A unique action_id per element: Slack requires it within a block; the index is stripped on receipt. */
export const slackActionId = (action: string, index: number): string => `${action}::${index}`;
export const neutralAction = (actionId: string): string => actionId.replace(/::\d+$/, '');

function controls(list: Control[], counter: { n: number }): SlackBlock[] {
  const elements: SlackBlock[] = [];
  list.forEach((c) => {
    if (c.kind === 'button') {
      // Block Kit has no disabled button: one that leads nowhere here (前へ on the first page) is left out
      if (c.disabled) return;
      elements.push({
        type: 'button',
        action_id: slackActionId(c.action, counter.n++),
        text: plain(c.label, MAX_BUTTON_TEXT),
        ...(c.value !== undefined ? { value: cut(c.value, MAX_BUTTON_VALUE) } : {}),
        ...(c.style ? { style: c.style } : {}),
      });
      return;
    }
    // a select with more than 100 options becomes several selects
    for (let start = 0, part = 0; start < c.options.length; start += MAX_SELECT_OPTIONS, part++) {
      const opts = c.options.slice(start, start + MAX_SELECT_OPTIONS);
      // a long list gets shorter labels, so that one select cannot outgrow a message by itself
      const labelMax = Math.max(20, Math.min(MAX_OPTION_TEXT, Math.floor(SELECT_TEXT_BUDGET / opts.length)));
      const optionObjects = opts.map((o) => ({ text: plain(o.label, labelMax), value: cut(o.value, MAX_OPTION_VALUE), ...(o.description && opts.length <= 25 ? { description: plain(o.description, MAX_OPTION_TEXT) } : {}) }));
      const initial = optionObjects.filter((o) => c.initial?.includes(o.value));
      const placeholder = c.options.length > MAX_SELECT_OPTIONS ? `${c.placeholder}（${part + 1}）` : c.placeholder;
      elements.push({
        type: c.multi ? 'multi_static_select' : 'static_select',
        action_id: slackActionId(c.action, counter.n++),
        placeholder: plain(placeholder, MAX_PLACEHOLDER),
        options: optionObjects,
        ...(c.multi && c.maxValues ? { max_selected_items: Math.min(c.maxValues, opts.length) } : {}),
        ...(initial.length ? (c.multi ? { initial_options: initial } : { initial_option: initial[0] }) : {}),
      });
    }
  });
  // at most 25 elements and a bounded amount of text per actions block
  const blocks: SlackBlock[] = [];
  let cur: SlackBlock[] = [];
  for (const el of elements) {
    if (cur.length && (cur.length >= MAX_ACTIONS_ELEMENTS || textTotal([...cur, el]) > ACTIONS_TEXT_BUDGET)) {
      blocks.push({ type: 'actions', elements: cur });
      cur = [];
    }
    cur.push(el);
  }
  if (cur.length) blocks.push({ type: 'actions', elements: cur });
  return blocks;
}

function renderBlock(b: Block, counter: { n: number }): SlackBlock[] {
  switch (b.type) {
    case 'header':
      return [{ type: 'header', text: plain(b.text, MAX_HEADER_TEXT) }];
    case 'text':
      return chunkText(escape(b.text)).map(section);
    case 'quote':
      return chunkText(escape(b.text).split('\n').map((l) => `> ${l}`).join('\n')).map(section);
    case 'context':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: cut(escape(b.text), 2900) }] }];
    case 'divider':
      return [{ type: 'divider' }];
    case 'fields': {
      // at most 10 fields and about 4,000 characters per section, so that no single block can
      // push a message over Slack's total size
      const out: SlackBlock[] = [];
      let cur: { type: string; text: string }[] = [];
      let size = 0;
      for (const f of b.fields) {
        const text = cut(`*${escape(f.label)}*\n${escape(f.value)}`, MAX_FIELD_TEXT);
        if (cur.length && (cur.length >= MAX_SECTION_FIELDS || size + length(text) > 4000)) {
          out.push({ type: 'section', fields: cur });
          cur = [];
          size = 0;
        }
        cur.push({ type: 'mrkdwn', text });
        size += length(text);
      }
      if (cur.length) out.push({ type: 'section', fields: cur });
      return out;
    }
    case 'list': {
      const body = [b.title ? `*${escape(b.title)}*` : '', ...b.items.map((i) => `• ${escape(i)}`)].filter(Boolean).join('\n');
      return chunkText(body).map(section);
    }
    case 'citations': {
      if (!b.citations.length) return [];
      const els = b.citations.slice(0, MAX_CONTEXT_ELEMENTS - 1).map((c, i) => ({ type: 'mrkdwn', text: cut(`📄 [${i + 1}] ${escape(citationLabel(c))}`, 300) }));
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: `*${ADAPTERS.sources}*` }, ...els] }];
    }
    case 'actions':
      return controls(b.controls, counter);
  }
}

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Plain fallback text (notifications, screen readers). */
export function fallbackText(reply: Reply): string {
  const first = reply.blocks.find((b) => b.type === 'header' || b.type === 'text' || b.type === 'quote');
  // escaped like the blocks: the fallback text is mrkdwn too, and echoed user text must not ping (<!here>)
  const t = first && 'text' in first ? escape(first.text) : ADAPTERS.noticeFallback;
  return cut(t, MAX_FALLBACK_TEXT).replace(/&[a-z]*$/, '');
}

/** One neutral reply as one or more Slack messages, each within the limits. */
export function renderMessages(reply: Reply): SlackMessage[] {
  const counter = { n: 0 };
  const all = reply.blocks.flatMap((b) => renderBlock(b, counter));
  const messages: SlackBlock[][] = [];
  let cur: SlackBlock[] = [];
  for (const b of all) {
    if (cur.length >= MAX_BLOCKS_PER_MESSAGE - 1 || textTotal([...cur, b]) > MAX_MESSAGE_TEXT_TOTAL * 0.9) {
      messages.push(cur);
      cur = [];
    }
    cur.push(b);
  }
  if (cur.length) messages.push(cur);
  const text = fallbackText(reply);
  return messages.map((blocks, i) => ({
    text: i === 0 ? text : ADAPTERS.continuedText(text, i + 1, messages.length),
    blocks: i === 0 || messages.length === 1 ? blocks : [{ type: 'context', elements: [{ type: 'mrkdwn', text: ADAPTERS.continuedOf(i + 1, messages.length) }] }, ...blocks],
  }));
}

/** Where a form submission should answer: kept in the view's private_metadata. */
export interface FormOrigin {
  formId: string;
  state?: string;
  channel: string;
  thread?: string;
  team?: string;
  /** The response_url of the button that opened the form: its submission edits that message. */
  responseUrl?: string;
  /** Whether that message was ephemeral. */
  ephemeral?: boolean;
}

/** A neutral form as a modal view. */
export function renderModal(form: Form, origin: Omit<FormOrigin, 'formId' | 'state'>): Record<string, unknown> {
  const metadata: FormOrigin = { formId: form.id, ...(form.state ? { state: form.state } : {}), ...origin };
  let privateMetadata = JSON.stringify(metadata);
  if (privateMetadata.length > MAX_PRIVATE_METADATA) privateMetadata = JSON.stringify({ ...metadata, responseUrl: undefined });
  if (privateMetadata.length > MAX_PRIVATE_METADATA) privateMetadata = JSON.stringify({ ...metadata, responseUrl: undefined, state: undefined });
  return {
    type: 'modal',
    callback_id: 'pf-form',
    title: plain(form.title, MAX_MODAL_TITLE),
    submit: plain(form.submitLabel, MAX_MODAL_BUTTON),
    close: plain(ADAPTERS.cancel, MAX_MODAL_BUTTON),
    private_metadata: privateMetadata,
    blocks: form.fields.slice(0, 100).map((f) => ({
      type: 'input',
      block_id: f.id,
      optional: !f.required,
      label: plain(f.label, 2000),
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        multiline: f.kind === 'textarea',
        max_length: Math.min(f.maxLength ?? MAX_INPUT_LENGTH, MAX_INPUT_LENGTH),
        ...(f.placeholder ? { placeholder: plain(f.placeholder, MAX_PLACEHOLDER) } : {}),
        ...(f.initial ? { initial_value: cut(f.initial, Math.min(f.maxLength ?? MAX_INPUT_LENGTH, MAX_INPUT_LENGTH)) } : {}),
      },
    })),
  };
}
