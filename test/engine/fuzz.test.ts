import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { COMMANDS } from '../../src/commands.js';
import type { EngineResult } from '../../src/engine/types.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp({ RATE_LIMIT_PER_MINUTE: '10000', MAX_MESSAGE_CHARS: '2000', ADMIN_USER_IDS: 'slack:UADMIN' });
});
afterAll(() => app.dispose());

/** A small deterministic PRNG, so a failure can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = Math.imul(s ^ (s >>> 15), 2246822519) ^ Math.imul(s ^ (s >>> 13), 3266489917)) >>> 0) / 4294967296;
}

function randomText(next: () => number): string {
  const pools = [
    () => String.fromCodePoint(Math.floor(next() * 0x20)),
    () => String.fromCodePoint(0x3040 + Math.floor(next() * 0xc0)),
    () => String.fromCodePoint(0x4e00 + Math.floor(next() * 0x5000)),
    () => String.fromCodePoint(0x1f300 + Math.floor(next() * 0x300)),
    () => ['"', "'", '\\', '<', '>', '&', '*', '(', ')', '%', '_', ';', '--', 'NEAR', 'OR', '^', '\u200b', '\ufeff', '\u202e', '\ud800'][Math.floor(next() * 20)]!,
    () => ' \n\t\r'[Math.floor(next() * 4)]!,
    () => 'やめる 戻る はい いいえ 1,3 /pf-faq 99 キャンセル'.split(' ')[Math.floor(next() * 8)]!,
  ];
  const len = [0, 1, 5, 40, 300, 2500, 20000][Math.floor(next() * 7)]!;
  let out = '';
  while (out.length < len) out += pools[Math.floor(next() * pools.length)]!();
  return out;
}

function answered(r: EngineResult): boolean {
  return r.replies.length > 0 && r.replies.every((x) => x.blocks.length > 0 || Boolean(x.form));
}

describe('nothing crashes the engine: random input gets a reply or a clean rejection', () => {
  it('messages, commands, actions and forms with random Unicode, control characters, empty and very long input', async () => {
    const next = rng(20261123);
    const actions = ['cmd', 'faq:open', 'fb:up', 'fb:down', 'handoff:send', 'handoff:reply', 'checklist:detail', 'checklist:export', 'provider:approve', 'provider:reject', 'flow:checklist:q1a', 'flow:checklist:edit', 'flow:step:knows', 'flow:case:page', 'flow:provider:area', 'flow:provider-register:areas', 'no-such-action', ''];
    for (let i = 0; i < 400; i++) {
      const who = actor(`UFUZZ${i % 7}`, i % 3 === 0 ? 'discord' : 'slack');
      const text = randomText(next);
      const kind = Math.floor(next() * 5);
      let r: EngineResult;
      if (kind === 0) r = await app.engine.handle({ kind: 'message', actor: who, text });
      else if (kind === 1) r = await app.engine.handle({ kind: 'command', actor: who, command: COMMANDS[Math.floor(next() * COMMANDS.length)]!, args: text });
      else if (kind === 2) r = await app.engine.handle({ kind: 'action', actor: who, action: actions[Math.floor(next() * actions.length)]!, value: text.slice(0, 200), values: [text.slice(0, 50), randomText(next).slice(0, 50)] });
      else if (kind === 3) r = await app.engine.handle({ kind: 'form', actor: who, formId: ['handoff-reply', 'flow:checklist:q2', 'provider:reject', 'x'][Math.floor(next() * 4)]!, state: text.slice(0, 20), fields: { reply: text, text, reason: text } });
      else r = await app.engine.handle({ kind: 'file', actor: actor('UADMIN'), purpose: 'providers_import', fileName: 'f.csv', data: Buffer.from(text), args: '' });
      expect(answered(r), `#${i} kind ${kind}: ${JSON.stringify(text.slice(0, 40))}`).toBe(true);
    }
    // and the engine still works normally afterwards
    const u = new User(app.engine, actor('UAFTER'));
    await u.say('ツドレバって何社参加した？');
    expect(u.text()).toContain('40社');
    expect(app.logs.filter((l) => l.includes('イベントの処理に失敗しました'))).toEqual([]);
  });

  it('limits message length politely and loses nothing of a flow', async () => {
    const u = new User(app.engine, actor('ULIMIT'));
    await u.command('pf-step');
    await u.say('あ'.repeat(2001));
    expect(u.text()).toContain('メッセージが長すぎます（2001 文字）。2000 文字以内でお送りください。');
    await u.say('はい');
    expect(u.text()).toContain('Q2.');
  });

  it('rate-limits a user with a polite message, without affecting others', async () => {
    const limited = await testApp({ RATE_LIMIT_PER_MINUTE: '3' });
    const u = new User(limited.engine, actor('URATE'));
    for (let i = 0; i < 3; i++) await u.command('pf-faq', '1');
    await u.command('pf-faq', '1');
    expect(u.text()).toContain('1分あたり 3 件まで');
    const other = new User(limited.engine, actor('UOTHER'));
    await other.command('pf-faq', '1');
    expect(other.text()).toContain('Q1');
    limited.advance(61_000);
    await u.command('pf-faq', '1');
    expect(u.text()).toContain('Q1');
    limited.dispose();
  });

  it('rejects an oversized upload with a clear message', async () => {
    const r = await app.engine.handle({ kind: 'file', actor: actor('UADMIN'), purpose: 'providers_import', fileName: 'big.csv', data: Buffer.alloc(app.config.maxUploadBytes + 1) });
    expect(JSON.stringify(r.replies)).toContain('ファイルが大きすぎます');
  });
});

describe('logs', () => {
  it('redact tokens and secrets, and keep user text out above debug', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(c, _e, d) { lines.push(String(c)); d(); } });
    const info = createLogger('info', sink);
    info.info({ config: { slack: { botToken: 'xoxb-123-secret', signingSecret: 'shh' }, openai: { apiKey: 'sk-abcdefghijkl' } }, text: '利用者の質問本文' }, 'token xoxb-999-leak in a message and xapp-1-abc');
    info.error({ err: new Error('failed with Bot AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb') }, 'boom');
    const out = lines.join('');
    for (const secret of ['xoxb-123-secret', 'shh', 'sk-abcdefghijkl', 'xoxb-999-leak', 'xapp-1-abc', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.aaaaaa', '利用者の質問本文']) expect(out).not.toContain(secret);
    expect(out).toContain('[秘匿]');
    const debugLines: string[] = [];
    const debug = createLogger('debug', new Writable({ write(c, _e, d) { debugLines.push(String(c)); d(); } }));
    debug.debug({ text: '利用者の質問本文' }, 'question');
    expect(debugLines.join('')).toContain('利用者の質問本文');
  });
});
