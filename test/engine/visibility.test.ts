/**
 * Issue 18 in the engine (real engine, real SQLite): which replies are private, which edit the
 * message they came from, and the 「中断しました」 notice riding on the next flow's first message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.dispose());

describe('visibility and edits in place (issue 18)', () => {
  it('starting another flow says the old one ended on the new first message, not in a message of its own', async () => {
    const u = new User(app.engine, actor('UENG2'));
    await u.command('pf-step');
    await u.command('pf-case');
    const [first] = u.last.replies;
    expect(first!.blocks[0]).toEqual({ type: 'text', text: '進行中だった「ステップ診断」は中断しました。' });
    expect(first!.blocks.length).toBeGreaterThan(1);
    // /pf-case stays public
    expect(first!.ephemeral).toBeFalsy();
  });

  it('FAQ navigation edits in place; a question stays public', async () => {
    const u = new User(app.engine, actor('UENG3'));
    await u.act('faq:open', '7');
    expect(u.last.replies[0]).toMatchObject({ replaceOriginal: true });
    expect(u.last.replies[0]!.ephemeral).toBeFalsy();
    await u.command('pf', 'ツドレバって何社参加した？');
    expect(u.last.replies.some((r) => r.ephemeral)).toBe(false);
  });
});
