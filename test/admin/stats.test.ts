import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp({ ADMIN_USER_IDS: 'slack:UADMIN' });
});
afterAll(() => app.dispose());

describe('usage figures for admins', () => {
  it('shows questions per day, out-of-scope questions, votes with the questions behind 👎, and most cited passages; exports CSV', async () => {
    const u = new User(app.engine, actor('USTAT'));
    await u.say('ツドレバって何社参加した？');
    await u.press('👍');
    await u.say('兵庫県の事例集は誰が見られる？');
    await u.press('👎');
    await u.say('ふるさと納税の控除上限額を計算して');
    await u.say('ツドレバって何社参加した？');
    const admin = new User(app.engine, actor('UADMIN'));
    await admin.command('pf', '統計');
    const t = admin.text();
    expect(t).toContain('質問数: 4');
    expect(t).toContain('👍 / 👎: 1 / 1（👍率 50%）');
    expect(t).toMatch(/\d{4}-\d{2}-\d{2}: 4（1）/);
    expect(t).toContain('ふるさと納税の控除上限額を計算して');
    expect(t).toMatch(/👎 がついた回答の質問\n.*兵庫県の事例集は誰が見られる？/);
    expect(t).toMatch(/事例② 多様な主体をつなぐ「気づきワーキング」（P\.23） … \d+ 回/);
    await admin.command('pf', '統計 CSV');
    const file = admin.last.replies[0]!.file!;
    const rows = parse(file.data.subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r['質問'] === 'ふるさと納税の控除上限額を計算して')!['範囲外']).toBe('範囲外');
    expect(rows.find((r) => r['質問'] === '兵庫県の事例集は誰が見られる？')!['👎']).toBe('1');
    const guest = new User(app.engine, actor('UGUESTSTAT'));
    await guest.command('pf', '統計');
    expect(guest.text()).toContain('権限がありません');
  });
});
