/**
 * Issue 22, as a terminal user meets it: typing what the screen shows works where a number works,
 * numbers of navigation and feedback stay put, a single option and an empty line get a sensible
 * line, 「やめる」 names the flow on the screen (never one hidden behind it), and flow steps have
 * a rate limit of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderInput } from '../../src/providers/model.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { Conversation } from '../helpers/terminal.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp({ ADMIN_USER_IDS: 'terminal:admin-user' });
  // 25 lunch-box providers in 行田市: three pages of ten
  const many: ProviderInput[] = Array.from({ length: 25 }, (_, i) => ({
    externalId: `typed-${i}`,
    name: `弁当屋${String(i).padStart(2, '0')}`,
    orgType: '企業',
    categories: [{ categoryId: 'delivery', subcategoryId: 'delivery-1' }],
    wholePrefecture: false,
    areas: ['行田市'],
    description: '',
    services: '高齢者向けの弁当配達',
    source: 'テスト',
    status: 'approved',
  }));
  app.services.providers.upsertMany(many);
});
afterAll(() => app.dispose());

/** The number printed before a choice's label. */
const numberOf = (out: string, label: string): number | null => {
  const m = new RegExp(`\\[(\\d+)\\] [^\\n]*${label}`).exec(out);
  return m ? Number(m[1]) : null;
};

describe('typing a choice’s own label', () => {
  it('「中断する」 in the checklist pauses it (it is not read as an answer)', async () => {
    const c = new Conversation(app.core, { userId: 'typed-checklist' });
    await c.say('/pf-checklist');
    const q1 = await c.say('行田市');
    expect(q1).toContain('中断する');
    const out = await c.say('中断する');
    expect(out).toContain('「市町村チェックリスト」を中断しました');
    expect(out).not.toContain('回答として受け取れませんでした');
    // the draft is kept and resumes
    expect(await c.say('/pf-checklist')).toContain('続きから再開します');
  });

  it('「次へ」「前へ」 on provider results turn the page and keep the search; numbers 1 and 2 are always 前へ and 次へ', async () => {
    const c = new Conversation(app.core, { userId: 'typed-pages' });
    const first = await c.say('/pf-provider 弁当配達 行田市');
    expect(first).toContain('：25 件（1/3）');
    expect(first).toContain('弁当屋09');
    expect(first).not.toContain('弁当屋10');
    // 前へ leads nowhere on the first page: not printed, its number kept
    expect(numberOf(first, '前へ')).toBeNull();
    expect(numberOf(first, '次へ')).toBe(2);
    const second = await c.say('次へ');
    expect(second).toContain('2/3 ページ');
    expect(second).not.toContain('中断しました');
    expect(numberOf(second, '前へ')).toBe(1);
    expect(numberOf(second, '次へ')).toBe(2);
    // pressing 2 again goes on (it flipped back when 次へ moved from [1] to [2])
    const third = await c.say('2');
    expect(third).toContain('3/3 ページ');
    expect(numberOf(third, '次へ')).toBeNull();
    expect(await c.say('2')).toContain('[2]「次へ →」はいまは選べません');
    expect(await c.say('前へ')).toContain('2/3 ページ');
    expect(await c.say('1')).toContain('1/3 ページ');
  });

  it('「👍」 and 「役に立たなかった」 after an answer record the vote; 👍/👎 are [1]/[2] on every answer', async () => {
    const c = new Conversation(app.core, { userId: 'typed-votes' });
    const answer = await c.say('ツドレバって何社参加した？');
    expect(numberOf(answer, '👍')).toBe(1);
    expect(numberOf(answer, '👎')).toBe(2);
    expect(await c.say('👍')).toContain('ご評価ありがとうございます');
    // an answer with suggestions (an out-of-scope one) numbers them after the votes
    const refusal = await c.say('明日の天気は？');
    expect(numberOf(refusal, '👍')).toBe(1);
    expect(numberOf(refusal, '👎')).toBe(2);
    expect(await c.say('役に立たなかった')).toContain('ご意見ありがとうございます');
    const votes = app.db.prepare("SELECT a.question, f.vote FROM feedback f JOIN answers a ON a.id = f.answer_id WHERE f.user_id = 'terminal:typed-votes' ORDER BY f.created_at").all();
    expect(votes).toEqual([
      { question: 'ツドレバって何社参加した？', vote: 1 },
      { question: '明日の天気は？', vote: -1 },
    ]);
  });
});

describe('English in what users write', () => {
  it('keeps English words of a checklist answer as written, in the review and in what is sent', async () => {
    const c = new Conversation(app.core, { userId: 'admin-user' });
    await c.say('/pf-checklist 回答 羽生市');
    for (const a of ['はい', 'はい', 'いいえ']) await c.say(a);
    const q3 = await c.say('We need IT support (LINE, Zoom) for SC meetings');
    expect(q3).toContain('Q3');
    await c.say('1');
    const review = await c.say('1');
    expect(review).toContain('Q2 「いいえ」の現状・課題: We need IT support (LINE, Zoom) for SC meetings');
    // the review's button typed by its label
    const sent = await c.say('送信する');
    expect(sent).toContain('羽生市 のチェックリストを受け付けました');
    expect(await c.say('/pf-checklist 羽生市')).toContain('We need IT support (LINE, Zoom) for SC meetings');
  });
});

describe('lines that fit nothing', () => {
  it('names the one option when a screen has a single choice', async () => {
    const c = new Conversation(app.core, { userId: 'single-choice' });
    const one = await c.say('/pf-provider 移動販売 行田市');
    expect(one).toContain('[1] 条件を変える');
    const out = await c.say('3');
    expect(out).toContain('選べるのは [1]「条件を変える」だけです');
    expect(out).not.toContain('1〜1');
  });

  it('answers an empty line with one line, not the whole menu', async () => {
    const out = await new Conversation(app.core, { userId: 'empty-line' }).say('');
    expect(out).toContain('メッセージが空でした');
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).not.toContain('/pf-faq');
  });
});

describe('「やめる」 names the flow on the screen', () => {
  it('does not end a search hidden behind an answer or an admin view, and does not name it when another flow starts', async () => {
    const c = new Conversation(app.core, { userId: 'admin-user' });
    await c.say('/pf-provider 弁当配達 行田市');
    const view = await c.say('/pf-checklist');
    expect(view).toContain('集計');
    const cancel = await c.say('やめる');
    expect(cancel).not.toContain('事業者検索');
    expect(cancel).toContain('中断する手続きはありません');
    await c.say('ツドレバって何？');
    const step = await c.say('/pf-step');
    expect(step).not.toContain('進行中だった「事業者検索」');
    expect(step).toContain('Q1.');
  });

  it('names the flow the user sees when it is replaced or cancelled', async () => {
    const c = new Conversation(app.core, { userId: 'visible-flow' });
    await c.say('/pf-provider 弁当配達 行田市');
    expect(await c.say('/pf-step')).toContain('進行中だった「事業者検索」は中断しました');
    expect(await c.say('やめる')).toContain('「ステップ診断」を終了しました');
    // said again, nothing is left to cancel (not 「この操作は古くなっています」)
    expect(await c.say('やめる')).toContain('中断する手続きはありません');
  });
});

describe('rate limits in the terminal', () => {
  it('counts flow steps (typed or numbered) apart from questions, each with a Japanese message', async () => {
    const limited = await testApp({ RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const c = new Conversation(limited.core, { userId: 'rate-user' });
      // two questions are allowed, the third is not
      await c.say('ツドレバって何？');
      await c.say('研修の内容は？');
      expect(await c.say('気づきワーキングは？')).toContain('1分あたり 2 件まで');
      // steps of a flow are not questions: six of them a minute (3 × 2)
      expect(await c.say('/pf-step')).toContain('1分あたり 2 件まで');
      limited.advance(61_000);
      expect(await c.say('/pf-step')).toContain('Q1.');
      const steps = ['はい', '戻る', 'はい', '戻る', 'はい', '戻る'];
      for (const s of steps) expect(await c.say(s)).not.toContain('1分あたり');
      expect(await c.say('はい')).toContain('短い時間に操作が続きました（1分あたり 6 回まで）');
    } finally {
      limited.dispose();
    }
  });
});
