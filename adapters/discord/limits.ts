/**
 * Discord limits (https://discord.com/developers/docs/resources/message, …/interactions/message-components,
 * …/interactions/application-commands). The renderer respects them by construction;
 * `discordViolations` checks a rendered message or modal, for the tests and as a last guard.
 */
import { length } from '../shared/text.js';

export const MAX_CONTENT = 2000;
export const MAX_EMBEDS = 10;
export const MAX_EMBED_TITLE = 256;
export const MAX_EMBED_DESCRIPTION = 4096;
export const MAX_EMBED_FIELDS = 25;
export const MAX_FIELD_NAME = 256;
export const MAX_FIELD_VALUE = 1024;
export const MAX_FOOTER = 2048;
export const MAX_EMBED_TOTAL = 6000;
export const MAX_ROWS = 5;
export const MAX_BUTTONS_PER_ROW = 5;
export const MAX_SELECT_OPTIONS = 25;
export const MAX_BUTTON_LABEL = 80;
export const MAX_CUSTOM_ID = 100;
export const MAX_PLACEHOLDER = 150;
export const MAX_OPTION_LABEL = 100;
export const MAX_OPTION_VALUE = 100;
export const MAX_OPTION_DESCRIPTION = 100;
export const MAX_MODAL_TITLE = 45;
export const MAX_MODAL_INPUTS = 5;
export const MAX_INPUT_LABEL = 45;
export const MAX_INPUT_VALUE = 4000;
export const MAX_INPUT_PLACEHOLDER = 100;
export const MAX_COMMAND_NAME = 32;
export const MAX_COMMAND_DESCRIPTION = 100;
export const MAX_COMMAND_OPTIONS = 25;
export const MAX_CHOICES = 25;
export const MAX_AUTOCOMPLETE = 25;


export { cut, length } from '../shared/text.js';

type Json = Record<string, unknown>;

function embedSize(e: Json): number {
  const fields = (e.fields as Json[] | undefined) ?? [];
  return (
    length(String(e.title ?? '')) +
    length(String(e.description ?? '')) +
    length(String((e.footer as Json | undefined)?.text ?? '')) +
    fields.reduce((n, f) => n + length(String(f.name)) + length(String(f.value)), 0)
  );
}

/** Every limit a message payload breaks (empty when valid). */
export function discordViolations(msg: Json): string[] {
  const v: string[] = [];
  if (typeof msg.content === 'string' && length(msg.content) > MAX_CONTENT) v.push('content too long');
  const embeds = (msg.embeds as Json[] | undefined) ?? [];
  if (embeds.length > MAX_EMBEDS) v.push(`${embeds.length} embeds`);
  let total = 0;
  embeds.forEach((e, i) => {
    if (length(String(e.title ?? '')) > MAX_EMBED_TITLE) v.push(`embed ${i} title`);
    if (length(String(e.description ?? '')) > MAX_EMBED_DESCRIPTION) v.push(`embed ${i} description`);
    const fields = (e.fields as Json[] | undefined) ?? [];
    if (fields.length > MAX_EMBED_FIELDS) v.push(`embed ${i} ${fields.length} fields`);
    fields.forEach((f) => {
      if (!String(f.name).length || length(String(f.name)) > MAX_FIELD_NAME) v.push(`embed ${i} field name`);
      if (!String(f.value).length || length(String(f.value)) > MAX_FIELD_VALUE) v.push(`embed ${i} field value`);
    });
    if (length(String((e.footer as Json | undefined)?.text ?? '')) > MAX_FOOTER) v.push(`embed ${i} footer`);
    total += embedSize(e);
  });
  if (total > MAX_EMBED_TOTAL) v.push(`embeds total ${total} > ${MAX_EMBED_TOTAL}`);
  const rows = (msg.components as Json[] | undefined) ?? [];
  if (rows.length > MAX_ROWS) v.push(`${rows.length} rows`);
  const ids = new Set<string>();
  rows.forEach((row, r) => {
    const comps = (row.components as Json[]) ?? [];
    const selects = comps.filter((c) => c.type !== 2);
    if (selects.length && comps.length > 1) v.push(`row ${r}: a select must be alone`);
    if (comps.length > MAX_BUTTONS_PER_ROW || !comps.length) v.push(`row ${r}: ${comps.length} components`);
    for (const c of comps) {
      const id = String(c.custom_id ?? '');
      if (c.custom_id !== undefined) {
        if (ids.has(id)) v.push(`duplicate custom_id ${id}`);
        ids.add(id);
        if (length(id) > MAX_CUSTOM_ID) v.push(`custom_id too long: ${id}`);
      }
      if (c.type === 2 && length(String(c.label ?? '')) > MAX_BUTTON_LABEL) v.push('button label too long');
      if (c.type === 3) {
        const opts = (c.options as Json[]) ?? [];
        if (!opts.length || opts.length > MAX_SELECT_OPTIONS) v.push(`select with ${opts.length} options`);
        if (length(String(c.placeholder ?? '')) > MAX_PLACEHOLDER) v.push('placeholder too long');
        if (typeof c.max_values === 'number' && c.max_values > opts.length) v.push('max_values > options');
        opts.forEach((o) => {
          if (length(String(o.label)) > MAX_OPTION_LABEL) v.push('option label too long');
          if (length(String(o.value)) > MAX_OPTION_VALUE) v.push('option value too long');
          if (o.description !== undefined && length(String(o.description)) > MAX_OPTION_DESCRIPTION) v.push('option description too long');
        });
      }
    }
  });
  return v;
}

export function modalViolations(modal: Json): string[] {
  const v: string[] = [];
  if (length(String(modal.title)) > MAX_MODAL_TITLE) v.push('modal title too long');
  if (length(String(modal.custom_id)) > MAX_CUSTOM_ID) v.push('modal custom_id too long');
  const rows = (modal.components as Json[]) ?? [];
  if (!rows.length || rows.length > MAX_MODAL_INPUTS) v.push(`${rows.length} modal rows`);
  for (const row of rows) {
    for (const c of (row.components as Json[]) ?? []) {
      if (length(String(c.label ?? '')) > MAX_INPUT_LABEL) v.push('input label too long');
      if (typeof c.max_length === 'number' && c.max_length > MAX_INPUT_VALUE) v.push('max_length > 4000');
      if (typeof c.value === 'string' && length(c.value) > MAX_INPUT_VALUE) v.push('value too long');
      if (typeof c.placeholder === 'string' && length(c.placeholder) > MAX_INPUT_PLACEHOLDER) v.push('input placeholder too long');
    }
  }
  return v;
}
