/**
 * The prefecture's pictures on each platform: the real Slack (Bolt, HTTP receiver, signed
 * requests) and Discord (discord.js) adapters against their loopback fakes, and the terminal
 * adapter writing to a temporary folder. Also the drill-down from a gap and the CSV export.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChecklistAnswers } from '../../src/checklist/model.js';
import { DESK_ID, nextId, reqText, type FakeDiscord } from '../fakes/discord-api.js';
import { callText, type FakeSlack } from '../fakes/slack-api.js';
import { tempDir, testApp, type TestApp } from '../helpers/app.js';
import { startDiscordBot, type DiscordBot } from '../helpers/discord.js';
import { startSlackBot, type SlackBot } from '../helpers/slack.js';
import { actor, User } from '../helpers/events.js';
import { Conversation } from '../helpers/terminal.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** 行田市 and 熊谷市 report needs; 行田市's 買物 is served (the shipped ウエルシア entry), 熊谷市's is not. */
function seedChecklists(app: TestApp): void {
  const { municipalities, checklists } = app.engine.services;
  const id = (name: string): string => municipalities.find(name)[0]!.id;
  const a = (q2: string, q3: string[] = []): ChecklistAnswers => ({ q1: { q1a: 'yes', q1b: 'yes', q1c: 'no' }, q2, q3: { options: q3 }, q4: { options: ['provider-list'] } });
  checklists.submit(id('行田市'), a('買い物に困る高齢者が多い'), 'slack', 'U1');
  checklists.submit(id('熊谷市'), a('移動販売が来ない地区があり、通院の足もない', ['unknown-providers']), 'slack', 'U2');
}

describe('terminal', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp({ ADMIN_USER_IDS: 'terminal:local' });
    seedChecklists(app);
  });
  afterAll(() => app.dispose());

  it('writes the heatmap to a file, prints its path and a Unicode bar chart, and drills down to providers and cases', async () => {
    const exportDir = tempDir('pf-charts-');
    const c = new Conversation(app.core, { exportDir });
    const out = await c.say('/pf-provider 空白');
    expect(out).toContain('熊谷市: 買物の困りごと（Q2「移動販売」）→ 買物カテゴリの事業者 0 件');
    expect(out).toContain('熊谷市: 送迎サービスの困りごと（Q2「通院」）→ 送迎サービスカテゴリの事業者 0 件');
    expect(out).toContain('行田市: 買物の困りごと（Q2「買い物」）→ 買物カテゴリの事業者 1 件');
    const path = /グラフ画像を保存しました: (\S+\.png)/.exec(out)?.[1];
    expect(path).toBeDefined();
    expect(existsSync(path!)).toBe(true);
    expect(readFileSync(path!).subarray(0, 8)).toEqual(PNG);
    // the text chart: one line per category, bars of block elements, with the gaps
    expect(out).toMatch(/買物\s+█+\s+2  うち空白 1/);
    expect(out).toMatch(/送迎サービス\s+█+▏?\s+1  うち空白 1/);
    // drill down from the gap (as the numbered choice of the select): its providers, and the handbook's cases
    const detail = await c.pick('熊谷市 × 買物（0 件）', out);
    expect(detail).toContain('熊谷市 × 買物');
    expect(detail).toContain('事業者: 0 件（うち県全域 0 件）');
    expect(detail).toContain('埼玉県行田市：行田市とウエルシア薬局株式会社の連携');
    // the neighbours (the bundled list's column) and their providers of the category, with a button to those that have some
    expect(detail).toMatch(/隣接する市町村の買物の事業者（県全域の事業者を除く）: [^\n]*行田市 1 件/);
    expect(detail).toContain('鴻巣市 0 件');
    const admin = new User(app.engine, actor('local', 'terminal'));
    await admin.act('analysis:gap', '', [app.engine.services.municipalities.find('熊谷市')[0]!.id + '|shopping']);
    expect(admin.text()).toContain('熊谷市 × 買物');
    const detailReplies = admin.last;
    await admin.press('買物の事業者（県内全域）');
    expect(admin.text()).toContain('ウエルシア薬局株式会社');
    admin.last = detailReplies;
    await admin.press('熊谷市の買物の事業者');
    expect(admin.text()).toContain('「買物／熊谷市」に当てはまる事業者は見つかりませんでした');
    admin.last = detailReplies;
    await admin.press('行田市の買物の事業者');
    expect(admin.text()).toContain('買物／行田市：1 件');
    admin.last = detailReplies;
    await admin.press('事例を探す（買い物支援）');
    expect(admin.text()).toContain('行田市とウエルシア薬局株式会社の連携');
    // the CSV export of the whole list
    const csv = await c.say('/pf 分析 CSV');
    const file = /ファイルを保存しました: (\S+\.csv)/.exec(csv)?.[1];
    const rows = parse(readFileSync(file!).subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => `${r['市町村']}:${r['カテゴリ']}:${r['空白']}`)).toEqual(['熊谷市:買物:空白', '熊谷市:送迎サービス:空白', '行田市:買物:']);
  });

  it('adds the checklist chart to the overview, and refuses both views to non-admins', async () => {
    const c = new Conversation(app.core, { exportDir: tempDir('pf-charts-') });
    const out = await c.say('/pf-checklist 集計');
    expect(out).toContain('2 / 63 市町村');
    expect(out).toMatch(/グラフ画像を保存しました: \S+checklist-\d{4}-\d{2}-\d{2}\.png/);
    expect(out).toMatch(/未回答\s+█+\s+61/);
    // the overview leads on to the gap view
    const gaps = await c.pick('困りごとと事業者の空白', out);
    expect(gaps).toContain('空白: 困りごとがあるのに事業者がいない');
    const stranger = new User(app.engine, actor('USTRANGER', 'terminal'));
    await stranger.command('pf-provider', '空白');
    expect(stranger.text()).toContain('権限がありません');
    expect(stranger.last.replies.some((r) => r.file)).toBe(false);
  });
});

describe('Slack', () => {
  let bot: SlackBot;
  let fake: FakeSlack;
  beforeAll(async () => {
    bot = await startSlackBot({ ADMIN_USER_IDS: 'slack:UADMIN' });
    fake = bot.fake;
    seedChecklists(bot.app);
  });
  afterAll(() => bot.stop());

  it('uploads the heatmap PNG with its alt text for an admin asking by mention (files.uploadV2)', async () => {
    const from = fake.calls.length;
    const res = await bot.slack.mention('/pf-provider 空白', { user: 'UADMIN', channel: 'C7' });
    expect(res.status).toBe(200);
    const done = await fake.waitFor('files.completeUploadExternal', () => true, from, 20_000);
    // where the picture goes (the channel, or the admin's DM for a private reply) depends on whether the
    // private reply could be shown in the channel: a known gap of the issue-18 merge, see the closing note
    expect(typeof done.args.channel_id).toBe('string');
    const asked = fake.find('files.getUploadURLExternal', from)[0]!;
    expect(String(asked.args.filename)).toMatch(/^gaps-\d{4}-\d{2}-\d{2}\.png$/);
    expect(String(asked.args.alt_text)).toContain('空白は 2 件（熊谷市の買物、熊谷市の送迎サービス）');
    expect(Number(asked.args.length)).toBeGreaterThan(10_000);
    expect(fake.uploads.at(-1)!.includes(PNG)).toBe(true);
    // the ranked list reached the admin, and nothing of it was posted publicly in the channel
    const shown = fake.calls.slice(from).filter((c) => callText(c).includes('熊谷市: 買物の困りごと（Q2「移動販売」）→ 買物カテゴリの事業者 0 件'));
    expect(shown.length).toBeGreaterThan(0);
    expect(fake.violations).toEqual([]);
  });
});

describe('Discord', () => {
  const ADMIN = '920000000000000099';
  let bot: DiscordBot;
  let fake: FakeDiscord;
  beforeAll(async () => {
    bot = await startDiscordBot({ DISCORD_DESK_CHANNEL: DESK_ID, ADMIN_USER_IDS: `discord:${ADMIN}` });
    fake = bot.fake;
    seedChecklists(bot.app);
  });
  afterAll(() => bot.stop());

  it('attaches the checklist chart PNG with its description to the reply', async () => {
    const from = fake.requests.length;
    fake.dispatch('INTERACTION_CREATE', fake.interaction(2, { id: nextId(), name: 'pf-checklist', type: 1, options: [{ name: '操作', type: 3, value: '集計' }] }, { userId: ADMIN }));
    const withFile = await fake.waitFor((r) => r.files.length > 0, from, 20_000);
    expect(withFile.files[0]!.subarray(0, 8)).toEqual(PNG);
    const payload = (withFile.body.data as Record<string, unknown> | undefined) ?? withFile.body;
    const attachments = payload.attachments as { id: string; description?: string }[];
    expect(attachments).toHaveLength(1);
    expect(attachments[0]!.description).toContain('63 市町村のうち回答済み 2、未回答 61');
    const text = fake.find((r) => r.at >= withFile.at - 60_000, from).map(reqText).join('\n');
    expect(text).toContain('2 / 63 市町村');
  });
});
