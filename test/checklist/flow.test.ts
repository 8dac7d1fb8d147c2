import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';
import { Conversation } from '../helpers/terminal.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp({ ADMIN_USER_IDS: 'slack:UADMIN' });
});
afterAll(() => app.dispose());

const Q3 = { unknown: 'unknown-providers', discuss: 'how-to-discuss', ideas: 'no-ideas', other: 'other' };
const Q4 = { training: 'training', list: 'provider-list', event: 'event', none: 'no-support', other: 'other' };

/** A municipality member who has bound themselves to `name`. */
async function member(id: string, name: string): Promise<User> {
  const u = new User(app.engine, actor(id));
  await u.command('pf-checklist');
  expect(u.text()).toContain('回答する市町村を選んでください');
  await u.say(name);
  // membership is granted, not taken: the pick files a request, an admin approves it
  expect(u.text()).toContain(`${name} の担当者として申請しました`);
  const request = app.services.membershipRequests.pendingOf('slack', id)!;
  const approved = await new User(app.engine, actor('UADMIN')).act('membership:approve', String(request.id));
  expect(approved.effects[0]?.target).toMatchObject({ platform: 'slack', userId: id });
  await u.command('pf-checklist');
  expect(u.text()).toContain('Q1');
  return u;
}

async function answerQ1(u: User, answers: ('yes' | 'no')[]): Promise<void> {
  for (const a of answers) await u.press(a === 'yes' ? 'はい' : 'いいえ');
}

describe('municipal checklist', () => {
  it('follows every path of the Q1 flowchart, asking Q2 only after a no', async () => {
    const paths: { q1: ('yes' | 'no')[]; stage: string; asksQ2: boolean }[] = [
      { q1: ['no'], stage: '課題を把握していない', asksQ2: true },
      { q1: ['yes', 'no'], stage: '解決の仕組みがない', asksQ2: true },
      { q1: ['yes', 'yes', 'no'], stage: '具体策が進んでいない', asksQ2: true },
      { q1: ['yes', 'yes', 'yes'], stage: '具体策を進めている', asksQ2: false },
    ];
    const names = ['川越市', '熊谷市', '川口市', '秩父市'];
    for (const [i, p] of paths.entries()) {
      const u = await member(`UPATH${i}`, names[i]!);
      await answerQ1(u, p.q1);
      if (p.asksQ2) {
        expect(u.text()).toContain('Q2 Q1で「いいえ」と回答した現状・課題について');
        await u.say('地域の課題を整理できていない');
      }
      expect(u.text()).toContain('Q3 生活支援サービスに関連する課題の解決に向けて困っていること');
      await u.press('該当なし');
      await u.choose('q4', [Q4.training]);
      expect(u.text()).toContain('送信前の確認');
      await u.press('送信する');
      expect(u.text()).toContain(`${names[i]} のチェックリストを受け付けました（第1版）`);
      expect(u.text()).toContain(p.stage);
      const saved = app.services.checklists.latest(names[i]!);
      expect(Object.keys(saved!.answers.q1)).toHaveLength(p.q1.length);
      expect(saved!.answers.q2 !== undefined).toBe(p.asksQ2);
    }
  });

  it('refuses to combine 「支援を受ける想定は無い」 with a request for support', async () => {
    const u = await member('UEXCL', '所沢市');
    await answerQ1(u, ['yes', 'yes', 'yes']);
    await u.choose('q3', [Q3.unknown]);
    await u.choose('q4', [Q4.none, Q4.training]);
    expect(u.text()).toContain('支援の希望と同時には選べません');
    expect(u.text()).toContain('Q4');
    await u.choose('q4', [Q4.none]);
    expect(u.text()).toContain('送信前の確認');
  });

  it('lets the user change any answer before sending, keeps versions and counts the latest', async () => {
    const u = await member('UEDIT', '行田市');
    await answerQ1(u, ['yes', 'yes', 'yes']);
    await u.choose('q3', [Q3.unknown, Q3.other]);
    expect(u.text()).toContain('「その他」の内容を入力してください');
    await u.say('担当者が1人しかいない');
    await u.choose('q4', [Q4.list, Q4.event]);
    expect(u.text()).toContain('その他（担当者が1人しかいない）');
    // opening a question from the review shows its answer now (a choice, then each step of the Q1 chain)
    await u.choose('edit', ['q4']);
    expect(u.text()).toContain('いまの回答: 多様な主体リストの共有／市町村の生活支援体制と多様な主体をつなぐイベントへの参加');
    await u.choose('q4', [Q4.list, Q4.event]);
    // change Q1: a new "no" makes Q2 necessary, then back to the review
    await u.choose('edit', ['q1']);
    expect(u.text()).toContain('いまの回答: はい');
    await answerQ1(u, ['yes', 'no']);
    expect(u.text()).toContain('Q2');
    await u.say('庁内の連携の仕組みがない');
    expect(u.text()).toContain('送信前の確認');
    expect(u.text()).toContain('庁内の連携の仕組みがない');
    await u.press('送信する');
    expect(u.text()).toContain('第1版');
    expect(u.text()).toContain('多様な主体リスト（P.16）');
    expect(u.text()).toContain('/pf-provider');
    expect(u.text()).toContain('多様な主体リストの共有 → 多様な主体リスト（P.16）');
    // a second submission is version 2; version 1 is kept
    await u.command('pf-checklist');
    await answerQ1(u, ['yes', 'yes', 'yes']);
    await u.press('該当なし');
    await u.choose('q4', [Q4.none]);
    await u.press('送信する');
    expect(u.text()).toContain('第2版');
    const history = app.services.checklists.history('行田市');
    expect(history.map((h) => h.version)).toEqual([2, 1]);
    expect(app.services.checklists.latest('行田市')!.answers.q4.options).toEqual([Q4.none]);
  });

  it('normalises typed municipality names so 行田市, 行田 and ぎょうだし are one', async () => {
    for (const [id, typed] of [['UN1', '行田'], ['UN2', 'ぎょうだし'], ['UN3', 'ギョウダシ']] as const) {
      const u = new User(app.engine, actor(id));
      await u.command('pf-checklist');
      await u.say(typed);
      expect(u.text()).toContain('行田市 の担当者として申請しました');
      expect(app.services.membershipRequests.pendingOf('slack', id)?.municipalityId).toBe('行田市');
      expect(app.services.roles.of('slack', id).role).toBe('guest');
    }
    const u = new User(app.engine, actor('UN4'));
    await u.command('pf-checklist');
    await u.say('行田村');
    expect(u.text()).toContain('市町村の一覧にありません');
  });

  it('validates free text length with a clear message and keeps the flow', async () => {
    const u = await member('ULONG', '飯能市');
    await u.press('いいえ');
    await u.say('あ'.repeat(1001));
    expect(u.text()).toContain('1000 文字以内');
    expect(u.text()).toContain('Q2');
    await u.say('短くまとめた課題');
    expect(u.text()).toContain('Q3');
  });

  it('tells a returning terminal user at start that their checklist is unfinished, and not others', async () => {
    const first = await testApp();
    first.services.roles.bindMember('terminal', 'local', '羽生市', 'terminal:admin');
    const c1 = new Conversation(first.core);
    expect(c1.greet()).not.toContain('途中のまま');
    await c1.say('/pf-checklist');
    await c1.say('はい');
    expect(await c1.say('やめる')).toContain('途中までの回答は保存してあり');
    first.close();
    // the next start of the terminal, on the same data
    const second = await testApp({}, { dir: first.dir });
    const greeting = new Conversation(second.core).greet();
    expect(greeting).toContain('前回の「市町村チェックリスト」が途中のままです');
    expect(greeting).toContain('/pf-checklist');
    // another user of the same data has nothing waiting
    expect(new Conversation(second.core, { userId: 'someone-else' }).greet()).not.toContain('途中のまま');
    second.dispose();
    first.dispose();
  });

  it('resumes a half-answered checklist after the user leaves and after a restart', async () => {
    const first = await testApp();
    first.services.roles.bindMember('slack', 'URES', '加須市', 'slack:UADMIN');
    const u1 = new User(first.engine, actor('URES'));
    await u1.command('pf-checklist');
    await u1.press('はい');
    await u1.say('やめる');
    expect(u1.text()).toContain('途中までの回答は保存してあり');
    // free text is a question again while the draft waits
    await u1.say('ツドレバって何社参加した？');
    expect(u1.text()).toContain('40社');
    first.close();
    const second = await testApp({}, { dir: first.dir });
    const u2 = new User(second.engine, actor('URES'));
    await u2.command('pf-checklist');
    expect(u2.text()).toContain('続きから再開します');
    expect(u2.text()).toContain('把握した課題を市町村内で解決する仕組みがある');
    second.dispose();
    first.dispose();
  });

  it('shows a member only their own municipality, and admins everything', async () => {
    const own = await member('UROLE', '本庄市');
    await answerQ1(own, ['no']);
    await own.say('把握の仕組みがない');
    await own.press('該当なし');
    await own.choose('q4', [Q4.training]);
    await own.press('送信する');
    await own.command('pf-checklist', '本庄市');
    expect(own.text()).toContain('本庄市 のチェックリスト（第1版）');
    await own.command('pf-checklist', '行田市');
    expect(own.text()).toContain('他の市町村の回答は、都道府県の担当者（管理者）だけが見られます');
    expect(own.text()).not.toContain('行田市 のチェックリスト');
    await own.command('pf-checklist', '集計');
    expect(own.text()).toContain('権限がありません');
    const guest = new User(app.engine, actor('UGUEST'));
    await guest.command('pf-checklist', 'エクスポート');
    expect(guest.last.replies.some((r) => r.file)).toBe(false);
    const admin = new User(app.engine, actor('UADMIN'));
    await admin.command('pf-checklist', '行田市');
    expect(admin.text()).toContain('行田市 のチェックリスト（第2版）');
    expect(admin.text()).toContain('第1版');
  });

  it('gives admins an overview with counts, tallies, Q2 texts, groups and a CSV that opens in Excel', async () => {
    const admin = new User(app.engine, actor('UADMIN'));
    await admin.command('pf-checklist', '集計');
    const overview = admin.text();
    const answered = app.services.checklists.allLatest().length;
    expect(overview).toContain(`${answered} / 63 市町村`);
    expect(overview).toContain(`未回答: ${63 - answered} 市町村`);
    expect(overview).toMatch(/課題を把握していない: [1-9]/);
    expect(overview).toContain('地域の課題を整理できていない');
    expect(overview).toContain('さいたま市');
    await admin.command('pf-checklist', 'グループ');
    expect(admin.text()).toContain('まだ取組を進められていない市町村');
    expect(admin.text()).toContain('研修会への参加を促す');
    await admin.command('pf-checklist', 'エクスポート');
    const file = admin.last.replies.find((r) => r.file)!.file!;
    expect([...file.data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(file.data.subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(63);
    const gyoda = rows.find((r) => r['市町村'] === '行田市')!;
    expect(gyoda['版']).toBe('2');
    expect(gyoda['Q4 引き続き市町村内で進めたい・現時点では都道府県の支援を受ける想定は無い']).toBe('○');
    expect(gyoda['Q4 市町村職員・SC等向け研修']).toBe('');
    expect(rows.find((r) => r['市町村'] === 'さいたま市')!['回答状況']).toBe('未回答');
    expect(Object.keys(gyoda)).toContain('Q3 その他の内容');
  });
});
