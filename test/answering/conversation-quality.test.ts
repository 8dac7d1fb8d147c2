/**
 * Issue 22, as a user meets it in the terminal: follow-ups only when the question cannot stand
 * alone, quotes that are statements (a list with the sentence introducing it), one citation per
 * place, the bot's own words outside quote marks, and the hand-off only where a desk is set up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/terminal/index.js';
import { isFollowUp } from '../../src/answering/intent.js';
import { isStatement } from '../../src/answering/sentences.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { Conversation } from '../helpers/terminal.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.dispose());

/** The heading line of a terminal answer (【…】). */
const heading = (out: string): string => /【(.+)】/.exec(out)?.[1] ?? '';
/** The quoted lines of a terminal answer (indented 「…」, a list quote up to its closing 」). */
const quotes = (out: string): string[] => [...out.matchAll(/^ {2}「([\s\S]*?)」$/gm)].map((m) => m[1]!);
/** The citation labels printed under an answer. */
const citations = (out: string): string[] => [...out.matchAll(/^ {2}\[\d+\] (.+（.+）.*)$/gm)].map((m) => m[1]!);

describe('follow-ups: only a question that cannot stand alone continues the previous topic', () => {
  it('tells pointing back, an aspect alone and a bare name from questions with a topic of their own', () => {
    const followUps = ['それの具体例は？', 'その研修の対象は？', '具体例は？', 'もっと詳しく', 'じゃあ具体例は？', '沖縄県の場合は？', '山間部では？', '気づきワーキングは？', '他の事例は？', 'ほかには？'];
    const fresh = ['研修の内容は？', 'じゃあ研修の内容は？', 'ツドレバって何？', '多様な主体リストとは？', 'この手引きの目的は？', '企業にはどうアプローチすればいい？', '兵庫県の事例集は誰でも見られる？', '何社参加した？'];
    for (const q of followUps) expect(isFollowUp(q), q).toBe(true);
    for (const q of fresh) expect(isFollowUp(q), q).toBe(false);
  });

  it('answers 「研修の内容は？」 after 「ツドレバって何？」 as it would fresh, and keeps its topic for 「それの具体例は？」', async () => {
    const c = new Conversation(app.core, { userId: 'topic-user' });
    const tsudoreba = await c.say('ツドレバって何？');
    expect(heading(tsudoreba)).toContain('ツドレバ');
    const training = await c.say('研修の内容は？');
    const fresh = await new Conversation(app.core, { userId: 'fresh-user' }).say('研修の内容は？');
    expect(heading(training)).toBe(heading(fresh));
    expect(heading(training)).toContain('研修（P.14）');
    expect(training).not.toContain('ツドレバ');
    const example = await c.say('それの具体例は？');
    // the topic is 研修 now, not ツドレバ from two turns ago
    expect(example).not.toContain('ツドレバ');
    expect(heading(example)).not.toContain('沖縄県');
  });

  it('continues the topic for an ellipsis, and starts fresh when a connective opens a new topic', async () => {
    const c = new Conversation(app.core, { userId: 'ellipsis-user' });
    await c.say('企業にはどうアプローチすればいい？');
    const okinawa = await c.say('沖縄県の場合は？');
    expect(okinawa).toMatch(/ツドレバ|気づきワーキング/);
    const fresh = await c.say('じゃあ研修の内容は？');
    expect(heading(fresh)).toContain('研修（P.14）');
  });
});

describe('quotes and citations', () => {
  it('quotes a sentence that introduces a list together with the list', async () => {
    const out = await new Conversation(app.core, { userId: 'list-user' }).say('研修の内容は？');
    const intro = quotes(out).find((q) => q.startsWith('市町村行政・福祉関係機関の職員やSC等に対し、主に以下の内容を伝える研修を実施する。'));
    expect(intro).toBeDefined();
    expect(intro).toContain('・生活支援体制整備事業の趣旨と重要性');
    expect(intro).toContain('・市町村の生活支援体制を構築・機能させるために必要なアクション');
  });

  it('never quotes a heading or label as evidence', async () => {
    const c = new Conversation(app.core, { userId: 'heading-user' });
    for (const q of ['ツドレバって何？', '気づきワーキングは？', '企業にはどうアプローチすればいい？', 'プラットフォームの内容は？', 'ステップ1では何をする？']) {
      const out = await c.say(q);
      for (const quoted of quotes(out)) expect(isStatement(quoted.split('\n')[0]!) || quoted.includes('\n'), `${q}: 「${quoted}」`).toBe(true);
      expect(out).not.toContain('「プラットフォームの内容」');
      expect(out).not.toContain('「ステップ1の実施」');
      expect(out).not.toContain('「気づきワーキング開催の背景」');
    }
    expect(isStatement('2. イベント参加者・登壇者への声かけ:')).toBe(false);
    expect(isStatement('沖縄県の事例(P.22参照)')).toBe(false);
    expect(isStatement('令和7年度には、40社が参加した。')).toBe(true);
  });

  it('prints each cited place once, and quotes inside quotes with 『』', async () => {
    const c = new Conversation(app.core, { userId: 'citation-user' });
    for (const q of ['ツドレバって何？', '企業にはどうアプローチすればいい？', 'ツドレバって何社参加した？']) {
      const out = await c.say(q);
      const labels = citations(out);
      expect(labels.length, q).toBeGreaterThan(0);
      expect(new Set(labels).size, `${q}\n${labels.join('\n')}`).toBe(labels.length);
      expect(out).not.toMatch(/「[^」\n]*「/);
    }
    const tsudoreba = await c.say('ツドレバって何？');
    expect(tsudoreba).toContain('プラットフォーム『ツドレバ』を立ち上げた。」');
  });

  it('keeps the bot’s own words (the refusal) out of quote marks', async () => {
    const out = await new Conversation(app.core, { userId: 'refusal-user' }).say('明日の天気は？');
    expect(out).toContain('推測でお答えすることはしません');
    expect(out).not.toMatch(/「推測でお答え/);
    expect(quotes(out)).toEqual([]);
  });
});

describe('the hand-off in the terminal', () => {
  it('is not offered when no desk is configured (nor after 👎)', async () => {
    const c = new Conversation(app.core, { userId: 'no-desk-user' });
    const out = await c.say('明日の天気は？');
    expect(out).toContain('見つかりませんでした');
    expect(out).not.toContain('担当窓口に質問を送る');
    const down = await c.pick('👎', out);
    expect(down).toContain('ご意見ありがとうございます');
    expect(down).not.toContain('担当窓口');
  });

  it('writes the question to the desk file (TERMINAL_DESK_FILE) when one is configured', async () => {
    const deskApp = await testApp({ TERMINAL_DESK_FILE: 'desk/handoffs.txt', ADMIN_USER_IDS: 'terminal:local' }, {});
    try {
      const file = deskApp.config.terminalDeskFile!;
      expect(file).toMatch(/handoffs\.txt$/);
      let printed = '';
      const output = new Writable({ write: (chunk, _enc, done) => ((printed += String(chunk)), done()) });
      const adapter = createTerminalAdapter({ core: deskApp.core, input: new PassThrough(), output, width: 1000, deskFile: file });
      deskApp.adapters.register(adapter);
      await adapter.chat.handleLine('ふるさと納税の控除上限額を計算して');
      const offered = /\[(\d+)\] 担当窓口に質問を送る/.exec(printed);
      expect(offered, printed).not.toBeNull();
      expect(existsSync(file)).toBe(false);
      printed = '';
      await adapter.chat.handleLine(offered![1]!);
      expect(printed).toContain('担当窓口に質問を送りました');
      const desk = readFileSync(file, 'utf8');
      expect(desk).toContain('担当窓口への質問が届きました');
      expect(desk).toContain('ふるさと納税の控除上限額を計算して');
      expect(desk).toMatch(/受付番号: #\d+/);
      // the desk file has no buttons to press
      expect(desk).not.toContain('[1] 回答する');
      expect(deskApp.db.prepare('SELECT question FROM handoffs').all()).toEqual([{ question: 'ふるさと納税の控除上限額を計算して' }]);

      // the admin's most-cited list shows each place once, counted once per answer
      await adapter.chat.handleLine('ツドレバって何社参加した？');
      await adapter.chat.handleLine('ツドレバって何社参加した？');
      printed = '';
      await adapter.chat.handleLine('/pf 統計');
      const cited = printed.split('■ よく引用された箇所')[1]!.split('■')[0]!.split('\n').filter((l) => l.includes(' 回'));
      expect(cited.length).toBeGreaterThan(0);
      expect(new Set(cited.map((l) => l.replace(/ … \d+ 回/, ''))).size).toBe(cited.length);
      expect(cited.join('\n')).toMatch(/事例② 多様な主体をつなぐ「気づきワーキング」（P\.23） … 2 回/);
    } finally {
      deskApp.dispose();
    }
  });
});
