/**
 * The contract every adapter passes (as vercel/chat's packages/tests/src/thread-id-contract.ts):
 * whatever the platform, what a user sees is the same. A question gets one reply, with its
 * citations; a private reply is seen by no one else; a command the bot does not have gets the menu
 * in Japanese; a payload the bot cannot use gets a Japanese message, never a raw error. Each adapter
 * supplies a harness that speaks its platform (real payloads from test/fixtures to the Slack and
 * Discord fakes, lines to the terminal) and reports what the platform then shows; the assertions
 * are the same for all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/core.js';

/** One message as the platform shows it once the adapter is done (edits applied). */
export interface Shown {
  text: string;
  /** Whether others in the channel see it (an ephemeral message, a DM or a terminal: not). */
  public: boolean;
}

export interface ContractHarness {
  platform: Platform;
  /** A user asks the bot a question in a shared place (a mention, a typed line). */
  ask(question: string): Promise<Shown[]>;
  /** A user writes, in a shared place, that they want to answer the checklist (a private flow). */
  startPrivate(text: string): Promise<Shown[]>;
  /** A user types a command the bot does not have (「/pf-nothing」). */
  typeCommand(line: string): Promise<Shown[]>;
  /**
   * The platform delivers a slash command the bot does not have (one still registered from an
   * older version): it cannot reach the core as a command, so the adapter answers it. Not on the terminal.
   */
  slashCommand?(name: string): Promise<Shown[]>;
  /** The platform delivers something the bot never offered: a button id it did not issue, a choice it did not list. */
  badPayload(): Promise<Shown[]>;
  close(): Promise<void>;
}

/** Text a person can read: Japanese, with no error class, stack or placeholder leaking through. */
const JAPANESE = /[\u3040-\u30ff]/;
const RAW = /Error|undefined|null|\[object|\bat .+:\d+|zod|ECONN|HTTP \d{3}/;

export function adapterContract(name: string, create: () => Promise<ContractHarness>, { slashCommands = true }: { slashCommands?: boolean } = {}): void {
  describe(`adapter contract: ${name}`, () => {
    let h: ContractHarness;
    beforeAll(async () => {
      h = await create();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('answers a question with one reply that cites its sources', async () => {
      const shown = await h.ask('ツドレバって何？');
      expect(shown.map((s) => s.text.slice(0, 80))).toHaveLength(1);
      expect(shown[0]!.text).toContain('ツドレバ');
      expect(shown[0]!.text).toContain('出典');
      expect(shown[0]!.text).toMatch(/P\.\d+/);
    });

    it('keeps a private reply private: nothing of it is public', async () => {
      const shown = await h.startPrivate('チェックリストに回答したい');
      const step = '回答する市町村を選んでください';
      expect(shown.filter((s) => !s.public && s.text.includes(step))).toHaveLength(1);
      expect(shown.filter((s) => s.public && s.text.includes(step))).toEqual([]);
    });

    it('answers a command it does not have with the menu, in Japanese', async () => {
      const shown = await h.typeCommand('/pf-nothing');
      expect(shown).toHaveLength(1);
      expect(shown[0]!.text).toContain('「/pf-nothing」というコマンドはありません');
      for (const command of ['/pf-faq', '/pf-step', '/pf-case', '/pf-checklist', '/pf-provider']) expect(shown[0]!.text).toContain(command);
    });

    // the terminal has no slash commands of the platform's: the case does not exist there
    if (slashCommands) it('answers a slash command it does not have with the commands it has, privately', async () => {
      const shown = await h.slashCommand!('pf-old');
      expect(shown).toHaveLength(1);
      expect(shown[0]!.public).toBe(false);
      expect(shown[0]!.text).toContain('「/pf-old」というコマンドはありません');
      for (const command of ['/pf-faq', '/pf-step', '/pf-case', '/pf-checklist', '/pf-provider']) expect(shown[0]!.text).toContain(command);
    });

    it('answers a payload it cannot use with a Japanese message, privately', async () => {
      const shown = await h.badPayload();
      expect(shown.length).toBeGreaterThan(0);
      for (const s of shown) {
        expect(s.text).toMatch(JAPANESE);
        expect(s.text).not.toMatch(RAW);
        expect(s.public).toBe(false);
      }
    });
  });
}
