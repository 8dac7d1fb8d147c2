/**
 * The terminal chat: what `npm start` opens when no Slack or Discord token is configured. It is an
 * adapter like the others: it turns typed lines into neutral events (a line starting with /pf is a
 * command, a number picks one of the numbered choices, anything else is a message) and renders the
 * replies. It works with piped input (no TTY), so it can be scripted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../../src/engine/engine.js';
import type { Actor, CommandName, Effect, Form, InboundEvent, Reply } from '../../src/engine/types.js';
import { COMMANDS } from '../../src/engine/types.js';
import { menuReply } from '../../src/features/menu.js';
import { renderReply, type Choice } from './render.js';
import { renderBars } from './bars.js';

/** What ends the chat besides Ctrl+D: the command, or simply saying so. */
const EXIT = /^(\/?(exit|quit)|終了|おわり|終わり)$/i;

export interface TerminalOptions {
  engine: Engine;
  input: Readable;
  output: Writable;
  /** Columns to wrap at (default: the terminal's width, or 80). */
  width?: number;
  /** Folder where exported files are written (default: ./exports). */
  exportDir?: string;
  userId?: string;
}

const PROMPT = 'あなた> ';

export class TerminalChat {
  private readonly actor: Actor;
  private choices: Choice[] = [];
  private pendingForm: { form: Form; values: Record<string, string>; index: number } | null = null;
  private readonly width: number;
  private readonly tty: boolean;

  constructor(private readonly options: TerminalOptions) {
    this.actor = { platform: 'terminal', userId: options.userId ?? 'local', displayName: 'ターミナル', workspaceId: 'local', channelId: 'terminal', isDirect: true };
    const stdout = options.output as Writable & { columns?: number; isTTY?: boolean };
    this.width = options.width ?? Math.max(40, Math.min(stdout.columns ?? 80, 100) - 2);
    this.tty = Boolean((options.input as Readable & { isTTY?: boolean }).isTTY && stdout.isTTY);
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  private show(replies: Reply[]): void {
    this.choices = [];
    for (const r of replies) {
      const rendered = renderReply(r, this.width, this.choices.length + 1);
      if (rendered.text.trim()) this.write(rendered.text);
      this.choices.push(...rendered.choices);
      if (r.file) this.saveFile(r.file);
      if (r.form) this.beginForm(r.form);
    }
    if (this.choices.length && !this.pendingForm) this.write('  （番号で選べます）');
  }

  private saveFile(file: NonNullable<Reply['file']>): void {
    const dir = resolve(this.options.exportDir ?? 'exports');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, basename(file.name));
    writeFileSync(path, file.data);
    this.write(`  → ${file.mime.startsWith('image/') ? 'グラフ画像' : 'ファイル'}を保存しました: ${path}`);
    if (file.bars) this.write(renderBars(file.bars, this.width));
  }

  private beginForm(form: Form): void {
    this.pendingForm = { form, values: {}, index: 0 };
    this.write(`［${form.title}］（入力をやめるときは「やめる」）`);
    this.askField();
  }

  private askField(): void {
    const f = this.pendingForm!;
    const field = f.form.fields[f.index]!;
    this.write(`${field.label}${field.maxLength ? `（${field.maxLength}文字まで）` : ''}:`);
  }

  private deliver(effects: Effect[]): void {
    for (const e of effects) {
      if (e.target.platform !== 'terminal') continue;
      const rendered = renderReply(e.reply, this.width);
      this.write(`（お知らせ）\n${rendered.text}`);
    }
  }

  greet(): void {
    this.show([menuReply()]);
    this.write('  質問をそのまま入力するか、/pf-faq のようにコマンドを入力してください。終了は Ctrl+D（または「終了」「/exit」）です。');
  }

  /** Turns one typed line into an event (or null when the line was consumed locally). */
  toEvent(line: string): InboundEvent | null {
    const actor = this.actor;
    if (this.pendingForm) {
      const f = this.pendingForm;
      if (/^(やめる|キャンセル)$/.test(line.trim())) {
        this.pendingForm = null;
        this.write('入力をやめました。');
        return null;
      }
      const field = f.form.fields[f.index]!;
      f.values[field.id] = line;
      f.index++;
      if (f.index < f.form.fields.length) {
        this.askField();
        return null;
      }
      this.pendingForm = null;
      return { kind: 'form', actor, formId: f.form.id, ...(f.form.state ? { state: f.form.state } : {}), fields: f.values };
    }
    const trimmed = line.trim();
    const command = /^\/(pf(?:-[a-z]+)?)(?:\s+([\s\S]*))?$/.exec(trimmed);
    if (command && (COMMANDS as readonly string[]).includes(command[1]!)) {
      const args = command[2]?.trim() ?? '';
      // a local file for the import: 「/pf-provider インポート 取込.csv」
      const file = command[1] === 'pf-provider' ? /^(インポート|取り込み|取込|import)\s+(?:(確認|ドライラン)\s+)?(\S+\.csv)$/i.exec(args) : null;
      if (file) {
        try {
          return { kind: 'file', actor, purpose: 'providers_import', fileName: basename(file[3]!), data: readFileSync(resolve(file[3]!)), ...(file[2] ? { args: file[2] } : {}) };
        } catch {
          this.write(`ファイル「${file[3]}」を読めませんでした。パスを確かめてください。`);
          return null;
        }
      }
      return { kind: 'command', actor, command: command[1] as CommandName, args };
    }
    const picks = /^\d+(\s*[,、]\s*\d+)*$/.test(trimmed) ? trimmed.split(/\s*[,、]\s*/).map(Number) : null;
    if (picks && this.choices.length) {
      const chosen = picks.map((n) => this.choices.find((c) => c.n === n));
      if (chosen.every(Boolean)) {
        const first = chosen[0]!;
        if (first.control.kind === 'button') return { kind: 'action', actor, action: first.control.action, value: first.control.value ?? '' };
        const sameSelect = chosen.every((c) => c!.control === first.control);
        if (sameSelect) return { kind: 'action', actor, action: first.control.action, value: first.option ?? '', values: chosen.map((c) => c!.option!) };
      }
      this.write(`番号は ${this.choices[0]!.n}〜${this.choices[this.choices.length - 1]!.n} から選んでください（複数選べるのは同じ一覧の中だけです）。`);
      return null;
    }
    return { kind: 'message', actor, text: line };
  }

  async handleLine(line: string): Promise<void> {
    const event = this.toEvent(line);
    if (!event) return;
    const result = await this.options.engine.handle(event);
    this.show(result.replies);
    this.deliver(result.effects);
  }

  /** Runs until the input ends. */
  async run(): Promise<void> {
    this.greet();
    const rl = createInterface({ input: this.options.input, ...(this.tty ? { output: this.options.output, prompt: PROMPT } : {}), terminal: this.tty });
    if (this.tty) rl.prompt();
    for await (const line of rl) {
      if (EXIT.test(line.trim())) break;
      if (!this.tty && line.trim()) this.write(`${PROMPT}${line}`);
      await this.handleLine(line);
      if (this.tty) rl.prompt();
    }
    rl.close();
    this.write('終了します。');
  }
}

export async function runTerminal(options: TerminalOptions): Promise<void> {
  await new TerminalChat(options).run();
}
