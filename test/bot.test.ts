import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.js';
import { PassThrough, Writable } from 'node:stream';
import { TerminalChat } from '../adapters/terminal/index.js';
import { Conversation } from './helpers/terminal.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.dispose());

describe('terminal conversations through the engine', () => {
  it('ends when the user says 終了 (or /exit), without answering it as a question', async () => {
    const input = new PassThrough();
    let printed = '';
    const output = new Writable({ write: (chunk, _enc, done) => ((printed += String(chunk)), done()) });
    const chat = new TerminalChat({ core: app.core, input, output, width: 1000, userId: 'exit-user' });
    input.end('こんにちは\n終了\nツドレバって何社参加した？\n');
    await chat.run();
    expect(printed).toContain('終了します。');
    expect(printed).not.toContain('40社');
  });

  it('answers a question with the quoted figure and page-exact citations', async () => {
    const c = new Conversation(app.core);
    const out = await c.say('ツドレバって何社参加した？');
    expect(out).toContain('40社');
    expect(out).toContain('出典:');
    expect(out).toMatch(/P\.23「事例② 多様な主体をつなぐ『気づきワーキング』」/);
    expect(out).toContain('👍');
  });

  it('understands a follow-up in the context of the previous turn, and starts fresh on a new topic', async () => {
    const c = new Conversation(app.core, { userId: 'follow-up-user' });
    const first = await c.say('企業にはどうアプローチすればいい？');
    expect(first).toMatch(/P\.(32|16|23)/);
    const follow = await c.say('沖縄県の場合は？');
    // 「沖縄県の場合は？」 alone says nothing about approaching companies: in context it is about Okinawa's recruiting of companies
    expect(follow).toContain('沖縄県');
    expect(follow).toMatch(/気づきワーキング|ツドレバ/);
    const fresh = await c.say('プラチナ・サポート・ショップに登録した事業者は何かもらえるの？');
    expect(fresh).toContain('ステッカー');
    expect(fresh).not.toContain('気づきワーキング」」\n');
  });

  it('opens Q6 from the list and directly', async () => {
    const c = new Conversation(app.core);
    const list = await c.say('/pf-faq');
    expect(list).toContain('疑問や悩みの視点②');
    expect(list).toContain('Q13');
    const q6 = await c.pick('Q6 多様な主体へのアプローチ方法', list);
    expect(q6).toContain('【Q6 多様な主体へのアプローチ方法を知りたい。】');
    expect(q6).toContain('多様な主体に直接電話や面会の機会を設け');
    expect(q6).toContain('P.32');
    const direct = await c.say('/pf-faq 6');
    expect(direct).toContain('【Q6 多様な主体へのアプローチ方法を知りたい。】');
    const next = await c.pick('Q7 →', direct);
    expect(next).toContain('【Q7 山間部などリソースが限られるなかでの多様な主体のイメージを知りたい。】');
    expect(await c.say('/pf-faq 99')).toContain('Q99 はありません');
  });

  it('recommends each of the three steps from the answers', async () => {
    const c = new Conversation(app.core, { userId: 'step-user' });
    let out = await c.say('/pf-step');
    out = await c.pick('いいえ', out);
    expect(out).toContain('おすすめ: ステップ1 都道府県プラットフォーム活用の事前準備（P.9）');
    expect(out).toContain('ステップ1-1');
    expect(out).toContain('市町村職員・SC等向け研修（P.14）');

    out = await c.say('/pf-step');
    out = await c.pick('はい、把握している', out);
    out = await c.pick('まだない', out);
    expect(out).toContain('おすすめ: ステップ2 都道府県プラットフォームを活用した地域課題の解決（P.11）');
    expect(out).toContain('多様な主体リスト（P.16）');
    expect(out).toContain('Q6 多様な主体へのアプローチ方法を知りたい。（P.32）');

    out = await c.say('/pf-step');
    out = await c.say('はい');
    out = await c.say('ある');
    out = await c.pick('はい、広げたい', out);
    expect(out).toContain('おすすめ: ステップ3 都道府県プラットフォームの発展（P.12）');
    expect(out).toContain('市町村の生活支援体制と多様な主体をつなぐイベント開催（P.19）');
  });

  it('goes back one step and cancels in the middle of a flow, and hints at an answer that does not fit', async () => {
    const c = new Conversation(app.core, { userId: 'back-user' });
    let out = await c.say('/pf-step');
    out = await c.say('はい');
    expect(out).toContain('Q2.');
    out = await c.say('戻る');
    expect(out).toContain('Q1.');
    out = await c.say('ツドレバって何？');
    expect(out).toContain('回答として受け取れませんでした');
    expect(out).toContain('Q1.');
    out = await c.say('やめる');
    expect(out).toContain('「ステップ診断」を終了しました');
    // after cancelling, free text is a question again
    out = await c.say('ツドレバって何社参加した？');
    expect(out).toContain('40社');
  });

  it('searches cases by prefecture and by function, with paging', async () => {
    const c = new Conversation(app.core, { userId: 'case-user' });
    const okinawa = await c.say('/pf-case 沖縄県');
    expect(okinawa).toContain('事例 3 件（地域: 沖縄県）');
    expect(okinawa).toContain('気づきワーキング');
    expect(okinawa).not.toContain('プラチナ・サポート・ショップ');
    const training = await c.say('/pf-case 研修');
    expect(training).toMatch(/事例 \d+ 件（機能: 研修）/);
    expect(training).toContain('高知県');
    const menu = await c.say('/pf-case');
    expect(menu).toContain('地域で探す');
    const all = await c.pick('すべて表示', menu);
    expect(all).toMatch(/事例 2\d 件（すべての事例）/);
    expect(all).toContain('1/5 ページ');
    const page2 = await c.pick('次へ', all);
    expect(page2).toContain('2/5 ページ');
    const detail = await c.say('/pf-case 行田市');
    expect(detail).toContain('ウエルシア');
  });

  it('finds cases by a keyword only when a case says it (directly, by another spelling or a synonym), and says so when none does', async () => {
    const c = new Conversation(app.core, { userId: 'case-keyword-user' });
    const drone = await c.say('/pf-case ドローン');
    expect(drone).toContain('該当する事例はありません（キーワード: ドローン）');
    expect(drone).not.toMatch(/事例 \d+ 件/);
    // suggestions that do find cases, as choices
    expect(drone).toContain('次のテーマなら事例があります');
    const suggested = await c.pick('買い物支援', drone);
    expect(suggested).toMatch(/事例 \d+ 件（テーマ: 買い物支援）/);
    const mobile = await c.say('/pf-case 移動販売');
    expect(mobile).toMatch(/事例 \d+ 件（キーワード: 移動販売）/);
    const cards = mobile.split('\n').filter((l) => l.startsWith('■ '));
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.length).toBeLessThan(5);
    // 買物 is written 買い物 in the documents (the glossary's spellings)
    expect(await c.say('/pf-case 高齢者 買物')).toMatch(/事例 \d+ 件（キーワード: 高齢者 買物）/);
  });

  it('gives a helpful reply to an unknown command and an empty message', async () => {
    const c = new Conversation(app.core);
    const unknown = await c.say('/pf-foo');
    expect(unknown).toContain('「/pf-foo」というコマンドはありません');
    expect(unknown).toContain('/pf-faq');
    const empty = await c.say('   ');
    expect(empty).toContain('メッセージが空でした');
  });

  it('says plainly when the documents do not answer, with the nearest Q&A and commands', async () => {
    const c = new Conversation(app.core);
    const out = await c.say('ふるさと納税の控除上限額を計算して');
    expect(out).toContain('このご質問に答える記述が見つかりませんでした');
    expect(out).toContain('/pf-faq');
    expect(out).not.toContain('出典:');
  });

  it('records 👍/👎 votes with the question', async () => {
    const c = new Conversation(app.core, { userId: 'voter' });
    const out = await c.say('兵庫県の事例集は誰が見られる？');
    const after = await c.pick('👎', out);
    expect(after).toContain('ご意見ありがとうございます');
    const row = app.db.prepare("SELECT a.question, f.vote FROM feedback f JOIN answers a ON a.id = f.answer_id WHERE f.user_id = 'terminal:voter'").get() as { question: string; vote: number };
    expect(row).toEqual({ question: '兵庫県の事例集は誰が見られる？', vote: -1 });
  });
});

describe('flows survive a restart', () => {
  it('resumes the step guide where it stopped after the app restarts on the same data', async () => {
    const first = await testApp();
    const c1 = new Conversation(first.core, { userId: 'restart-user' });
    await c1.say('/pf-step');
    const q2 = await c1.say('はい');
    expect(q2).toContain('Q2.');
    first.close();
    const second = await testApp({}, { dir: first.dir });
    const c2 = new Conversation(second.core, { userId: 'restart-user' });
    const out = await c2.say('ない');
    expect(out).toContain('おすすめ: ステップ2');
    second.dispose();
    first.dispose();
  });

  it('expires an idle flow with a message', async () => {
    const a = await testApp({ FLOW_IDLE_MINUTES: '5' });
    const c = new Conversation(a.core, { userId: 'idle-user' });
    await c.say('/pf-step');
    a.advance(6 * 60_000);
    const out = await c.say('はい');
    expect(out).toContain('5 分間操作がなかったため終了しました');
    a.dispose();
  });
});
