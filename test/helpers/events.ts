/** Neutral engine events for tests, and helpers to read replies. */
import type { CommandName } from '../../src/commands.js';
import type { EngineApi } from '../../src/engine/adapter.js';
import type { Actor, Block, Control, EngineResult, Platform, Reply } from '../../src/engine/types.js';

export function actor(userId: string, platform: Platform = 'slack', extra: Partial<Actor> = {}): Actor {
  return { platform, userId, workspaceId: 'T1', channelId: 'C1', isDirect: false, ...extra };
}

export class User {
  last: EngineResult = { replies: [], effects: [] };
  constructor(
    readonly engine: EngineApi,
    readonly who: Actor,
  ) {}

  async command(command: CommandName, args = ''): Promise<EngineResult> {
    return (this.last = await this.engine.handle({ kind: 'command', actor: this.who, command, args }));
  }
  async say(text: string): Promise<EngineResult> {
    return (this.last = await this.engine.handle({ kind: 'message', actor: this.who, text }));
  }
  async act(action: string, value = '', values?: string[]): Promise<EngineResult> {
    return (this.last = await this.engine.handle({ kind: 'action', actor: this.who, action, value, ...(values ? { values } : {}) }));
  }
  async form(formId: string, fields: Record<string, string>, state?: string): Promise<EngineResult> {
    return (this.last = await this.engine.handle({ kind: 'form', actor: this.who, formId, fields, ...(state ? { state } : {}) }));
  }
  /** Presses the button with this label (in the last replies). */
  async press(label: string): Promise<EngineResult> {
    const c = findControl(this.last.replies, (x) => x.kind === 'button' && x.label.includes(label));
    if (!c || c.kind !== 'button') throw new Error(`no button "${label}" in:\n${textOf(this.last)}`);
    return this.act(c.action, c.value ?? '');
  }
  /** Chooses options (by value) in the select whose action ends with `actionSuffix`. */
  async choose(actionSuffix: string, values: string[]): Promise<EngineResult> {
    const c = findControl(this.last.replies, (x) => x.kind === 'select' && x.action.endsWith(actionSuffix));
    if (!c) throw new Error(`no select "${actionSuffix}" in:\n${textOf(this.last)}`);
    return this.act(c.action, values[0] ?? '', values);
  }
  text(): string {
    return textOf(this.last);
  }
}

export function findControl(replies: Reply[], pred: (c: Control) => boolean): Control | undefined {
  for (const r of replies) for (const b of r.blocks) if (b.type === 'actions') for (const c of b.controls) if (pred(c)) return c;
  return undefined;
}

function blockText(b: Block): string {
  switch (b.type) {
    case 'header':
    case 'text':
    case 'quote':
    case 'context':
      return b.text;
    case 'fields':
      return b.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    case 'list':
      return [b.title ?? '', ...b.items].join('\n');
    case 'citations':
      return b.citations.map((c) => `${c.title} P.${c.page}`).join('\n');
    case 'actions':
      return b.controls.map((c) => (c.kind === 'button' ? `[${c.label}]` : `<${c.placeholder}: ${c.options.map((o) => o.label).join('|')}>`)).join(' ');
    case 'divider':
      return '---';
  }
}

export function textOf(result: EngineResult | Reply[]): string {
  const replies = Array.isArray(result) ? result : [...result.replies, ...result.effects.map((e) => e.reply)];
  return replies.map((r) => r.blocks.map(blockText).join('\n')).join('\n\n');
}
