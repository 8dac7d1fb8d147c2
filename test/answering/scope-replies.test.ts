import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessages as renderDiscord } from '../../adapters/discord/render.js';
import { renderMessages as renderSlack } from '../../adapters/slack/render.js';
import { renderReply as renderTerminal } from '../../adapters/terminal/render.js';
import { withCaveat } from '../../src/answering/compose.js';
import { answerReply } from '../../src/answering/answer-reply.js';
import type { Reply } from '../../src/core.js';
import { testApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.dispose());

/** What each platform shows of a reply, as text. */
function shown(reply: Reply): { slack: string; discord: string; terminal: string } {
  return {
    slack: JSON.stringify(renderSlack(reply)),
    discord: JSON.stringify(renderDiscord(reply)),
    terminal: renderTerminal(reply, 200).text,
  };
}

describe('the caveat and "not stated" replies on every platform', () => {
  it('shows a "not stated" reply with its heading, the bot\'s own note outside quote marks, and the sources about the thing asked', async () => {
    const r = await app.assistant.ask('ツドレバの担当者の電話番号を教えて');
    expect(r.scope.kind).toBe('not_stated');
    const out = shown(answerReply(r, 1, false));
    for (const [platform, text] of Object.entries(out)) {
      expect(text, platform).toContain('資料には「ツドレバ」の電話番号の記載がありません');
      expect(text, platform).toContain('推測でお答えすることはしません');
      expect(text, platform).not.toContain('「手引きと関連資料には');
      expect(text, platform).toMatch(/P\.2[2-4]/);
    }
  });

  it('judges a question whose words suggest a flow like any other: one about something else is still refused', async () => {
    for (const [question, intent] of [['確定申告って何から始めればいい？', 'step_guide'], ['ALSOKの見守りサービスの月額料金を教えて', 'provider_search']] as const) {
      const r = await app.assistant.ask(question);
      expect(r.intent, question).toBe(intent);
      expect(r.outOfScope, question).toBe(true);
    }
    // a flow's own request is answered from the documents
    const r = await app.assistant.ask('チェックリストに回答したい');
    expect(r.intent).toBe('start_checklist');
    expect(r.outOfScope).toBe(false);
  });

  it('names, in a caveated answer, the terms of the question that no document writes', async () => {
    // (a question in the caveat band of the shipped scope model: a fair question around a term no document writes)
    const r = await app.assistant.ask('居宅介護支援事業所と組むとき、最初に何をすればいい？');
    expect(r.scope.kind).toBe('caveat');
    expect(r.outOfScope).toBe(false);
    const out = shown(answerReply(r, 3, false));
    for (const [platform, text] of Object.entries(out)) expect(text, platform).toContain('ご質問の「居宅介護支援事業所」は、手引きと関連資料には出てこない言葉です');
    // with no such term, the plain caveat
    expect(withCaveat(r.answer).note).toBe('資料の中で近い記述はこちらです。ご質問にぴったり合うかは、出典の原文でご確認ください。');
  });

  it('shows a caveated answer with the note and the passages', async () => {
    const r = await app.assistant.ask('企業と組む意味ってある？');
    const caveated = { ...r, scope: { kind: 'caveat' as const }, answer: withCaveat(r.answer) };
    const out = shown(answerReply(caveated, 2, false));
    for (const [platform, text] of Object.entries(out)) {
      expect(text, platform).toContain('資料の中で近い記述はこちらです');
      expect(text, platform).not.toContain('「資料の中で近い記述');
      expect(text, platform).toContain(r.answer.heading.slice(0, 10));
    }
  });
});
