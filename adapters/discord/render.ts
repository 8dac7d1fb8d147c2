/**
 * Neutral replies rendered as Discord messages: embeds with headed fields and citations, buttons and
 * select menus, and modals for forms. Limits hold by construction: text is split across embeds
 * (4,096 per description, 6,000 per message), buttons go five to a row, a select gets its own row
 * and at most 25 options (longer lists become several selects), and a reply that needs more than
 * five rows continues in another message. Mentions never ping (allowed_mentions is empty).
 */
import { splitAtLines } from '../shared/text.js';
import { ADAPTERS, citationLabel, type Block, type Control, type Form, type Reply } from '../../src/core.js';
import {
  cut, length, MAX_BUTTON_LABEL, MAX_BUTTONS_PER_ROW, MAX_CUSTOM_ID, MAX_EMBED_DESCRIPTION, MAX_EMBED_FIELDS, MAX_EMBED_TITLE, MAX_EMBED_TOTAL,
  MAX_EMBEDS, MAX_FIELD_NAME, MAX_FIELD_VALUE, MAX_FOOTER, MAX_INPUT_LABEL, MAX_INPUT_PLACEHOLDER, MAX_INPUT_VALUE, MAX_MODAL_INPUTS, MAX_MODAL_TITLE,
  MAX_OPTION_DESCRIPTION, MAX_OPTION_LABEL, MAX_OPTION_VALUE, MAX_PLACEHOLDER, MAX_ROWS, MAX_SELECT_OPTIONS,
} from './limits.js';

type Json = Record<string, unknown>;
export interface DiscordMessage {
  content?: string;
  embeds: Json[];
  components: Json[];
  flags?: number;
  /** discord.js's name for allowed_mentions. */
  allowedMentions: { parse: never[]; repliedUser?: boolean };
}

const EPHEMERAL = 64;
const COLOR = 0x2c5d8a;

/** Values too long for a custom_id are kept here and referenced by a short key. */
const longValues = new Map<string, string>();
let longSeq = 0;

export function encodeCustomId(action: string, value: string, dedupe?: number): string {
  let id = `${action}|${value}${dedupe ? `|#${dedupe}` : ''}`;
  if (length(id) > MAX_CUSTOM_ID) {
    const key = `~${(++longSeq).toString(36)}`;
    longValues.set(key, value);
    if (longValues.size > 10_000) longValues.delete(longValues.keys().next().value!);
    id = `${action}|${key}${dedupe ? `|#${dedupe}` : ''}`;
  }
  return cut(id, MAX_CUSTOM_ID);
}

export function decodeCustomId(customId: string): { action: string; value: string } {
  const [action = '', ...rest] = customId.replace(/\|#\d+$/, '').split('|');
  const raw = rest.join('|');
  return { action, value: raw.startsWith('~') ? (longValues.get(raw) ?? '') : raw };
}

class MessageBuilder {
  readonly messages: DiscordMessage[] = [];
  private embed: Json | null = null;
  private rows: Json[] = [];
  private ids = new Set<string>();

  constructor(private readonly ephemeral: boolean) {}

  private current(): DiscordMessage {
    if (!this.messages.length) this.newMessage();
    return this.messages[this.messages.length - 1]!;
  }

  private newMessage(): void {
    const n = this.messages.length;
    this.messages.push({ ...(n ? { content: ADAPTERS.continuedPart(n + 1) } : {}), embeds: [], components: [], allowedMentions: { parse: [] }, ...(this.ephemeral ? { flags: EPHEMERAL } : {}) });
    this.embed = null;
    this.rows = this.current().components;
    this.ids = new Set();
  }

  private size(): number {
    return this.current().embeds.reduce((n, e) => n + length(String(e.title ?? '')) + length(String(e.description ?? '')) + length(String((e.footer as Json | undefined)?.text ?? '')) + ((e.fields as Json[]) ?? []).reduce((m, f) => m + length(String(f.name)) + length(String(f.value)), 0), 0);
  }

  /** An embed with room for `extra` more characters (a new embed or message when needed). */
  private room(extra: number, fresh = false): Json {
    if (this.size() + extra > MAX_EMBED_TOTAL - 50 || (fresh && this.current().embeds.length >= MAX_EMBEDS)) this.newMessage();
    if (!this.embed || fresh) {
      if (this.current().embeds.length >= MAX_EMBEDS) this.newMessage();
      this.embed = { color: COLOR, description: '', fields: [] };
      this.current().embeds.push(this.embed);
    }
    return this.embed;
  }

  header(text: string): void {
    const t = cut(text, MAX_EMBED_TITLE);
    const e = this.room(length(t), Boolean(this.embed && (this.embed.title || String(this.embed.description) || (this.embed.fields as Json[]).length)));
    e.title = t;
  }

  paragraph(text: string): void {
    for (const piece of splitText(text, 3500)) {
      let e = this.room(length(piece) + 2);
      const desc = String(e.description ?? '');
      if (length(desc) + length(piece) + 2 > MAX_EMBED_DESCRIPTION) e = this.room(length(piece), true);
      e.description = String(e.description ?? '') ? `${String(e.description)}\n\n${piece}` : piece;
    }
  }

  field(name: string, value: string): void {
    for (const [i, piece] of splitText(value || '—', MAX_FIELD_VALUE).entries()) {
      const n = cut(i ? ADAPTERS.continuedField(name) : name, MAX_FIELD_NAME);
      let e = this.room(length(n) + length(piece));
      if ((e.fields as Json[]).length >= MAX_EMBED_FIELDS) e = this.room(length(n) + length(piece), true);
      (e.fields as Json[]).push({ name: n || '—', value: piece });
    }
  }

  footer(text: string): void {
    const e = this.room(length(text));
    const prev = String((e.footer as Json | undefined)?.text ?? '');
    e.footer = { text: cut(prev ? `${prev}\n${text}` : text, MAX_FOOTER) };
  }

  private uniqueId(action: string, value: string): string {
    let n = 0;
    let id = encodeCustomId(action, value);
    while (this.ids.has(id)) id = encodeCustomId(action, value, ++n);
    this.ids.add(id);
    return id;
  }

  private addRow(row: Json): void {
    if (this.rows.length >= MAX_ROWS) this.newMessage();
    this.rows.push(row);
  }

  controls(list: Control[]): void {
    let buttons: Json[] = [];
    const flush = (): void => {
      if (buttons.length) this.addRow({ type: 1, components: buttons });
      buttons = [];
    };
    for (const c of list) {
      if (c.kind === 'button') {
        if (buttons.length >= MAX_BUTTONS_PER_ROW) flush();
        // a button that leads nowhere here (前へ on the first page) stays in its place, greyed out
        buttons.push({ type: 2, style: c.style === 'primary' ? 1 : c.style === 'danger' ? 4 : 2, label: cut(c.label, MAX_BUTTON_LABEL), custom_id: this.uniqueId(c.action, c.value ?? ''), ...(c.disabled ? { disabled: true } : {}) });
        continue;
      }
      flush();
      const parts = Math.ceil(c.options.length / MAX_SELECT_OPTIONS);
      for (let p = 0; p < parts; p++) {
        const opts = c.options.slice(p * MAX_SELECT_OPTIONS, (p + 1) * MAX_SELECT_OPTIONS);
        const options = opts.map((o) => ({
          label: cut(o.label, MAX_OPTION_LABEL),
          value: cut(o.value, MAX_OPTION_VALUE),
          ...(o.description ? { description: cut(o.description, MAX_OPTION_DESCRIPTION) } : {}),
          ...(c.initial?.includes(o.value) ? { default: true } : {}),
        }));
        const max = c.multi ? Math.min(c.maxValues ?? options.length, options.length) : 1;
        this.addRow({
          type: 1,
          components: [
            {
              type: 3,
              custom_id: this.uniqueId(c.action, ''),
              placeholder: cut(parts > 1 ? `${c.placeholder}（${p + 1}/${parts}）` : c.placeholder, MAX_PLACEHOLDER),
              options,
              min_values: c.multi ? Math.min(c.minValues ?? 1, max) : 1,
              max_values: max,
            },
          ],
        });
      }
    }
    flush();
  }
}

/** Splits text at line breaks into pieces of at most `max` characters. */
export function splitText(text: string, max: number): string[] {
  const pieces = splitAtLines(text, max);
  return pieces.length ? pieces : [''];
}

/** Escapes Discord markdown in text that users or documents supplied. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|>])/g, '\\$1');
}

function render(b: Block, m: MessageBuilder): void {
  switch (b.type) {
    case 'header':
      m.header(b.text);
      break;
    case 'text':
      m.paragraph(escapeMarkdown(b.text));
      break;
    case 'quote':
      m.paragraph(escapeMarkdown(b.text).split('\n').map((l) => `> ${l}`).join('\n'));
      break;
    case 'context':
      m.footer(b.text);
      break;
    case 'divider':
      m.paragraph('───');
      break;
    case 'fields':
      for (const f of b.fields) m.field(f.label, escapeMarkdown(f.value));
      break;
    case 'list':
      if (b.title && b.items.join('').length < 900) m.field(b.title, b.items.map((i) => `• ${escapeMarkdown(i)}`).join('\n'));
      else m.paragraph([b.title ? `**${escapeMarkdown(b.title)}**` : '', ...b.items.map((i) => `• ${escapeMarkdown(i)}`)].filter(Boolean).join('\n'));
      break;
    case 'citations':
      if (b.citations.length) m.field(ADAPTERS.sources, b.citations.map((c, i) => `📄 [${i + 1}] ${citationLabel(c)}`).join('\n'));
      break;
    case 'actions':
      m.controls(b.controls);
      break;
  }
}

/** One neutral reply as one or more Discord messages, each within the limits. */
export function renderMessages(reply: Reply): DiscordMessage[] {
  const m = new MessageBuilder(Boolean(reply.ephemeral));
  for (const b of reply.blocks) render(b, m);
  if (!m.messages.length) return [{ content: ADAPTERS.emptyReply, embeds: [], components: [], allowedMentions: { parse: [] } }];
  // an embed must have some text; drop empty ones
  for (const msg of m.messages) msg.embeds = msg.embeds.filter((e) => e.title || String(e.description ?? '') || (e.fields as Json[]).length || e.footer);
  return m.messages;
}

/** A neutral form as a modal (text inputs only, at most five). */
export function renderModal(form: Form): Json {
  return {
    title: cut(form.title, MAX_MODAL_TITLE),
    custom_id: encodeCustomId(`form:${form.id}`, form.state ?? ''),
    components: form.fields.slice(0, MAX_MODAL_INPUTS).map((f) => ({
      type: 1,
      components: [
        {
          type: 4,
          custom_id: f.id,
          style: f.kind === 'textarea' ? 2 : 1,
          label: cut(f.label, MAX_INPUT_LABEL),
          required: Boolean(f.required),
          max_length: Math.min(f.maxLength ?? MAX_INPUT_VALUE, MAX_INPUT_VALUE),
          ...(f.placeholder ? { placeholder: cut(f.placeholder, MAX_INPUT_PLACEHOLDER) } : {}),
          ...(f.initial ? { value: cut(f.initial, Math.min(f.maxLength ?? MAX_INPUT_VALUE, MAX_INPUT_VALUE)) } : {}),
        },
      ],
    })),
  };
}

/** The neutral form id and state of a submitted modal. */
export function decodeModalId(customId: string): { formId: string; state: string } | null {
  const { action, value } = decodeCustomId(customId);
  return action.startsWith('form:') ? { formId: action.slice(5), state: value } : null;
}
