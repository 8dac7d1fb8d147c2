/**
 * Block Kit limits (https://api.slack.com/reference/block-kit/blocks, …/composition-objects,
 * …/surfaces/views). The renderer respects them by construction; `blockKitViolations` checks a
 * rendered message or view, for the tests and as a last guard before sending.
 */
import { length } from '../shared/text.js';

export const MAX_BLOCKS_PER_MESSAGE = 50;
export const MAX_BLOCKS_PER_MODAL = 100;
export const MAX_SECTION_TEXT = 3000;
export const MAX_SECTION_FIELDS = 10;
export const MAX_FIELD_TEXT = 2000;
export const MAX_HEADER_TEXT = 150;
export const MAX_ACTIONS_ELEMENTS = 25;
export const MAX_CONTEXT_ELEMENTS = 10;
export const MAX_CONTEXT_TEXT = 3000;
export const MAX_BUTTON_TEXT = 75;
export const MAX_BUTTON_VALUE = 2000;
export const MAX_ACTION_ID = 255;
export const MAX_SELECT_OPTIONS = 100;
export const MAX_OPTION_TEXT = 75;
export const MAX_OPTION_VALUE = 150;
export const MAX_PLACEHOLDER = 150;
export const MAX_MODAL_TITLE = 24;
export const MAX_MODAL_BUTTON = 24;
export const MAX_PRIVATE_METADATA = 3000;
export const MAX_INPUT_LABEL = 2000;
export const MAX_INPUT_LENGTH = 3000;
/** Messages with much more text than this have been refused as msg_blocks_too_long (FIELD-NOTES). */
export const MAX_MESSAGE_TEXT_TOTAL = 12000;
export const MAX_FALLBACK_TEXT = 4000;

export { cut, length } from '../shared/text.js';


type Json = Record<string, unknown>;

function texts(block: Json): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(block);
  return out;
}

/** Characters of text in a list of blocks (what Slack's message size limit counts). */
export function textTotal(blocks: Json[]): number {
  return blocks.flatMap(texts).reduce((n, t) => n + length(t), 0);
}

/** Every limit a rendered message's blocks break (empty when valid). */
export function blockKitViolations(blocks: Json[], surface: 'message' | 'modal' = 'message'): string[] {
  const v: string[] = [];
  const max = surface === 'message' ? MAX_BLOCKS_PER_MESSAGE : MAX_BLOCKS_PER_MODAL;
  if (blocks.length > max) v.push(`${blocks.length} blocks > ${max}`);
  const total = textTotal(blocks);
  if (surface === 'message' && total > MAX_MESSAGE_TEXT_TOTAL) v.push(`total text ${total} > ${MAX_MESSAGE_TEXT_TOTAL}`);
  blocks.forEach((b, i) => {
    const at = `block ${i} (${String(b.type)})`;
    const t = b.text as Json | undefined;
    if (b.type === 'header' && t && length(String(t.text)) > MAX_HEADER_TEXT) v.push(`${at}: header > ${MAX_HEADER_TEXT}`);
    if (b.type === 'section') {
      if (t && length(String(t.text)) > MAX_SECTION_TEXT) v.push(`${at}: text > ${MAX_SECTION_TEXT}`);
      const fields = (b.fields as Json[] | undefined) ?? [];
      if (fields.length > MAX_SECTION_FIELDS) v.push(`${at}: ${fields.length} fields`);
      fields.forEach((f) => length(String(f.text)) > MAX_FIELD_TEXT && v.push(`${at}: field > ${MAX_FIELD_TEXT}`));
      if (!t && !fields.length) v.push(`${at}: empty section`);
    }
    if (b.type === 'context') {
      const els = (b.elements as Json[]) ?? [];
      if (!els.length || els.length > MAX_CONTEXT_ELEMENTS) v.push(`${at}: ${els.length} context elements`);
      els.forEach((e) => length(String(e.text)) > MAX_CONTEXT_TEXT && v.push(`${at}: context text too long`));
    }
    if (b.type === 'actions') {
      const els = (b.elements as Json[]) ?? [];
      if (!els.length || els.length > MAX_ACTIONS_ELEMENTS) v.push(`${at}: ${els.length} elements`);
      const ids = new Set<string>();
      for (const e of els) {
        const id = String(e.action_id);
        if (ids.has(id)) v.push(`${at}: duplicate action_id ${id}`);
        ids.add(id);
        if (length(id) > MAX_ACTION_ID) v.push(`${at}: action_id too long`);
        if (e.type === 'button') {
          if (length(String((e.text as Json).text)) > MAX_BUTTON_TEXT) v.push(`${at}: button text too long`);
          if (e.value !== undefined && length(String(e.value)) > MAX_BUTTON_VALUE) v.push(`${at}: button value too long`);
        }
        if (String(e.type).endsWith('static_select')) {
          const opts = (e.options as Json[]) ?? [];
          if (!opts.length || opts.length > MAX_SELECT_OPTIONS) v.push(`${at}: ${opts.length} options`);
          opts.forEach((o) => {
            if (length(String((o.text as Json).text)) > MAX_OPTION_TEXT) v.push(`${at}: option text too long`);
            if (length(String(o.value)) > MAX_OPTION_VALUE) v.push(`${at}: option value too long`);
          });
          const ph = e.placeholder as Json | undefined;
          if (ph && length(String(ph.text)) > MAX_PLACEHOLDER) v.push(`${at}: placeholder too long`);
        }
      }
    }
    if (b.type === 'input') {
      const label = b.label as Json;
      if (length(String(label.text)) > MAX_INPUT_LABEL) v.push(`${at}: label too long`);
    }
  });
  return v;
}

/** Limits of a modal view (title, buttons, metadata, blocks). */
export function viewViolations(view: Json): string[] {
  const v = blockKitViolations(view.blocks as Json[], 'modal');
  for (const key of ['title', 'submit', 'close'] as const) {
    const t = view[key] as Json | undefined;
    if (t && length(String(t.text)) > (key === 'title' ? MAX_MODAL_TITLE : MAX_MODAL_BUTTON)) v.push(`${key} too long`);
  }
  if (typeof view.private_metadata === 'string' && length(view.private_metadata) > MAX_PRIVATE_METADATA) v.push('private_metadata too long');
  if (JSON.stringify(view).length > 250_000) v.push('view > 250 kB');
  return v;
}
