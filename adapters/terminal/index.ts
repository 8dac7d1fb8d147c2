/**
 * The terminal chat: what `npm start` opens when no Slack or Discord token is configured. It is an
 * adapter like the others (hubot's Shell is the model): it turns typed lines into neutral events (a
 * line starting with /pf is a command, a number picks one of the numbered choices, anything else is
 * a message) and renders the replies. It works with piped input (no TTY), so it can be scripted.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ADAPTERS, deliverResult, isCommandName, TERMINAL_DESK_CHANNEL, type Actor, type Adapter, type Core, type Effect, type Form, type InboundEvent, type Reply, type ReplySink } from '../../src/core.js';
import { renderReply, type Choice } from './render.js';
import { renderBars } from './bars.js';

/** What ends the chat besides Ctrl+D: the command, or simply saying so. */
const EXIT = /^(\/?(exit|quit)|終了|おわり|終わり)$/i;

export interface TerminalOptions {
  core: Core;
  input: Readable;
  output: Writable;
  /** Columns to wrap at (default: the terminal's width, or 80). */
  width?: number;
  /** Folder where exported files are written (default: ./exports). */
  exportDir?: string;
  userId?: string;
  /**
   * The terminal's desk (TERMINAL_DESK_FILE): hand-offs addressed to it are appended to this local
   * file, which the prefecture's staff read. Without it the terminal offers no hand-off.
   */
  deskFile?: string;
}

const PROMPT = ADAPTERS.prompt;

export class TerminalChat {
  private readonly actor: Actor;
  private choices: Choice[] = [];
  private pendingForm: { form: Form; values: Record<string, string>; index: number } | null = null;
  private readonly width: number;
  private readonly tty: boolean;

  constructor(private readonly options: TerminalOptions) {
    this.actor = { platform: 'terminal', userId: options.userId ?? 'local', displayName: ADAPTERS.terminalUser, workspaceId: 'local', channelId: 'terminal', isDirect: true };
    const stdout = options.output as Writable & { columns?: number; isTTY?: boolean };
    this.width = options.width ?? Math.max(40, Math.min(stdout.columns ?? 80, 100) - 2);
    this.tty = Boolean((options.input as Readable & { isTTY?: boolean }).isTTY && stdout.isTTY);
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  /** Prints one reply: its text, its numbered choices (numbering goes on across the replies of one event), its file. */
  private show(reply: Reply): void {
    const rendered = renderReply(reply, this.width, Math.max(0, ...this.choices.map((c) => c.n)) + 1);
    if (rendered.text.trim()) this.write(rendered.text);
    this.choices.push(...rendered.choices);
    if (reply.file) this.saveFile(reply.file);
  }

  /** The replies of one event: a form is asked field by field after its reply's text. */
  private sink(): ReplySink {
    this.choices = [];
    return {
      post: async (reply) => this.show(reply),
      openForm: async (form, reply) => {
        this.show(reply);
        this.beginForm(form);
        return true;
      },
      flush: () => {
        if (this.choices.some((c) => !c.disabled) && !this.pendingForm) this.write(ADAPTERS.pickByNumber);
      },
    };
  }

  private saveFile(file: NonNullable<Reply['file']>): void {
    const dir = resolve(this.options.exportDir ?? 'exports');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, basename(file.name));
    writeFileSync(path, file.data);
    this.write(ADAPTERS.fileSaved(file.mime.startsWith('image/'), path));
    if (file.bars) this.write(renderBars(file.bars, this.width));
  }

  private beginForm(form: Form): void {
    this.pendingForm = { form, values: {}, index: 0 };
    this.write(ADAPTERS.formStart(form.title));
    this.askField();
  }

  private askField(): void {
    const f = this.pendingForm!;
    const field = f.form.fields[f.index]!;
    this.write(ADAPTERS.formField(field.label, field.maxLength));
  }

  /** A notice the core sends to this terminal's user (an approval, a desk's reply). */
  notify(effect: Effect): void {
    const rendered = renderReply(effect.reply, this.width);
    this.write(ADAPTERS.notice(rendered.text));
  }

  /** Appends a notice for the desk (a hand-off) to the desk file, without its buttons. */
  writeToDesk(effect: Effect, now = new Date()): void {
    const file = this.options.deskFile!;
    const rendered = renderReply({ ...effect.reply, blocks: effect.reply.blocks.filter((b) => b.type !== 'actions') }, this.width);
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `―― ${now.toISOString()} ――\n${rendered.text}\n\n`);
  }

  greet(): void {
    const sink = this.sink();
    this.show(this.options.core.welcome(this.actor));
    sink.flush!();
    this.write(ADAPTERS.terminalHelp);
  }

  /** Turns one typed line into an event (or null when the line was consumed locally). */
  toEvent(line: string): InboundEvent | null {
    const actor = this.actor;
    if (this.pendingForm) {
      const f = this.pendingForm;
      if (/^(やめる|キャンセル)$/.test(line.trim())) {
        this.pendingForm = null;
        this.write(ADAPTERS.formAbandoned);
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
    if (command && isCommandName(command[1]!)) {
      const args = command[2]?.trim() ?? '';
      // a local file to upload: 「/pf-provider インポート 取込.csv」 (the core says which lines name one)
      const file = this.options.core.localFileRequest(command[1]!, args);
      if (file) {
        try {
          return { kind: 'file', actor, purpose: file.purpose, fileName: basename(file.path), data: readFileSync(resolve(file.path)), ...(file.args ? { args: file.args } : {}) };
        } catch {
          this.write(ADAPTERS.fileUnreadable(file.path));
          return null;
        }
      }
      return { kind: 'command', actor, command: command[1]!, args };
    }
    const picks = /^\d+(\s*[,、]\s*\d+)*$/.test(trimmed.normalize('NFKC')) ? trimmed.normalize('NFKC').split(/\s*[,、]\s*/).map(Number) : null;
    if (picks && this.choices.length) {
      const chosen = picks.map((n) => this.choices.find((c) => c.n === n));
      const unavailable = chosen.find((c) => c?.disabled);
      if (unavailable) {
        this.write(`${ADAPTERS.pickUnavailable(unavailable.n, unavailable.label)}${this.numbersHint()}`);
        return null;
      }
      if (chosen.every(Boolean)) {
        const first = chosen[0]!;
        if (first.control.kind === 'button') return { kind: 'action', actor, action: first.control.action, value: first.control.value ?? '' };
        const sameSelect = chosen.every((c) => c!.control === first.control);
        if (sameSelect) return { kind: 'action', actor, action: first.control.action, value: first.option ?? '', values: chosen.map((c) => c!.option!) };
        this.write(`${ADAPTERS.pickSameList}${this.numbersHint()}`);
        return null;
      }
      this.write(this.numbersHint());
      return null;
    }
    return { kind: 'message', actor, text: line };
  }

  /** Which numbers can be typed now: one option is named, a run is given as a range, gaps are listed. */
  private numbersHint(): string {
    const open = this.choices.filter((c) => !c.disabled);
    if (open.length === 1) return ADAPTERS.pickOnly(open[0]!.n, open[0]!.label);
    const ns = open.map((c) => c.n).sort((a, b) => a - b);
    const run = ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1);
    return run ? ADAPTERS.pickRange(ns[0]!, ns[ns.length - 1]!) : ADAPTERS.pickList(ns.join('、'));
  }

  async handleLine(line: string): Promise<void> {
    const event = this.toEvent(line);
    if (!event) return;
    const { core } = this.options;
    await deliverResult(await core.handle(event), this.sink(), (effect) => core.relay(effect), core.logger);
  }

  /** Runs until the input ends (Ctrl+D, the end of a pipe) or the user says so. */
  async run(readline = this.readline()): Promise<void> {
    this.greet();
    if (this.tty) readline.prompt();
    for await (const line of readline) {
      if (EXIT.test(line.trim())) break;
      if (!this.tty && line.trim()) this.write(`${PROMPT}${line}`);
      await this.handleLine(line);
      if (this.tty) readline.prompt();
    }
    readline.close();
    this.write(ADAPTERS.bye);
  }

  readline(): Interface {
    return createInterface({ input: this.options.input, ...(this.tty ? { output: this.options.output, prompt: PROMPT } : {}), terminal: this.tty });
  }
}

export interface TerminalAdapter extends Adapter {
  chat: TerminalChat;
}

/** The terminal as an adapter: start begins the chat; `ended` resolves when the input ends. */
export function createTerminalAdapter(options: TerminalOptions): TerminalAdapter {
  const chat = new TerminalChat(options);
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  let readline: Interface | undefined;
  return {
    platform: 'terminal',
    chat,
    ended,
    async start() {
      readline = chat.readline();
      void chat.run(readline).finally(finish);
    },
    async stop() {
      readline?.close();
    },
    async deliver(effect) {
      // the core addresses the desk by its channel: for the terminal that is the desk file
      if (options.deskFile && effect.target.channelId === TERMINAL_DESK_CHANNEL) chat.writeToDesk(effect);
      else chat.notify(effect);
    },
  };
}
