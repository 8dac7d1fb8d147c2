/** Drives whole conversations through the real terminal adapter and captures what it prints. */
import { PassThrough, Writable } from 'node:stream';
import { TerminalChat } from '../../adapters/terminal/index.js';
import type { Core } from '../../src/core.js';

export class Conversation {
  private chunks: string[] = [];
  readonly chat: TerminalChat;

  constructor(core: Core, options: { userId?: string; exportDir?: string } = {}) {
    const output = new Writable({
      write: (chunk, _enc, done) => {
        this.chunks.push(String(chunk));
        done();
      },
    });
    this.chat = new TerminalChat({ core, input: new PassThrough(), output, width: 1000, ...options });
  }

  /** Sends one line and returns everything printed in response. */
  async say(line: string): Promise<string> {
    this.chunks = [];
    await this.chat.handleLine(line);
    return this.chunks.join('');
  }

  /** What the terminal prints when it starts (the menu, and a note of an unfinished flow). */
  greet(): string {
    this.chunks = [];
    this.chat.greet();
    return this.chunks.join('');
  }

  /** Picks the numbered choice whose label contains `label`. */
  async pick(label: string, last: string): Promise<string> {
    const m = new RegExp(`\\[(\\d+)\\] [^\\n]*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(last);
    if (!m) throw new Error(`choice "${label}" not found in:\n${last}`);
    return this.say(m[1]!);
  }
}
