import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProvidersCsv, parseProvidersCsv, templateCsv, CSV_HEADERS } from '../../src/providers/csv.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp({ ADMIN_USER_IDS: 'slack:UADMIN', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_DESK_CHANNEL: 'CDESK' });
});
afterAll(() => app.dispose());

const header = CSV_HEADERS.join(',');
const row = (o: Partial<Record<(typeof CSV_HEADERS)[number], string>>): string => CSV_HEADERS.map((h) => JSON.stringify(o[h] ?? '')).join(',');
const csv = (...rows: string[]): string => [header, ...rows].join('\r\n') + '\r\n';

async function importCsv(data: Buffer, args = ''): Promise<string> {
  const admin = new User(app.engine, actor('UADMIN'));
  const r = await app.engine.handle({ kind: 'file', actor: admin.who, purpose: 'providers_import', fileName: 'list.csv', data, args });
  admin.last = r;
  return admin.text();
}

describe('provider directory', () => {
  it('ships only organisations the documents name, with their source', () => {
    const all = app.services.providers.all();
    expect(all.map((p) => p.name)).toEqual(['ウエルシア薬局株式会社（行田市）', 'ゆめタウン南行橋店']);
    expect(all[0]!.source).toContain('P.27');
    expect(all[0]!.services).toContain('うえたん号');
  });

  it('looks up by sub-category and area in one line and in plain Japanese', async () => {
    const u = new User(app.engine, actor('UCOORD'));
    await u.command('pf-provider', '移動販売 行田市');
    expect(u.text()).toContain('買物 › 移動販売／行田市：1 件');
    expect(u.text()).toContain('ウエルシア薬局株式会社');
    expect(u.text()).toContain('地域: 行田市');
    await u.say('行田市で移動販売をしている事業者は？');
    expect(u.text()).toContain('ウエルシア薬局株式会社');
    await u.command('pf-provider', '移動販売 川越市');
    expect(u.text()).toContain('見つかりませんでした');
    await u.press('県内全域に広げる');
    expect(u.text()).toContain('ウエルシア');
  });

  it('imports UTF-8, UTF-8 with BOM and Shift_JIS files the same way', async () => {
    const text = csv(
      row({ 外部ID: 'e1', 名称: 'みまもりネット行田', 組織の種類: 'NPO法人', カテゴリ: '生活サービス', サブカテゴリ: '防犯・見守り', 対象市町村: '行田市、羽生市', 高齢者向けサービスの説明: '一人暮らし高齢者の見守り訪問', サービス内容: '週1回の訪問と電話', 電話番号: '048-000-0001' }),
      row({ 外部ID: 'e2', 名称: '送迎タクシー秩父', 組織の種類: '企業', カテゴリ: '送迎サービス', サブカテゴリ: '個別移送サービス、温泉・銭湯(送迎)', 県全域: 'はい', サービス内容: '通院・買い物の送迎' }),
    );
    for (const [label, data] of [
      ['utf-8', Buffer.from(text, 'utf8')],
      ['utf-8-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
      ['shift_jis', iconv.encode(text, 'cp932')],
    ] as const) {
      const parsed = await parseProvidersCsv(data, { taxonomy: app.services.kb.taxonomy, municipalities: ['行田市', '羽生市'], suggest: () => [], defaultSource: 'test' });
      expect(parsed.encoding, label).toBe(label);
      expect(parsed.errors, label).toEqual([]);
      expect(parsed.rowsRead.map((r) => r.input.name)).toEqual(['みまもりネット行田', '送迎タクシー秩父']);
      expect(parsed.rowsRead[1]!.input.categories).toHaveLength(2);
    }
    const out = await importCsv(iconv.encode(text, 'cp932'));
    expect(out).toContain('新規 2 件、更新 0 件（文字コード: Shift_JIS）');
  });

  it('shows no empty 「内容:」 line for a provider that describes nothing', async () => {
    // an app of its own: the directory of this file's other tests stays as they expect it
    const own = await testApp();
    own.services.providers.add({ name: '説明なし見守り隊', orgType: 'NPO法人', categories: [{ categoryId: 'shopping', subcategoryId: 'shopping-1' }], wholePrefecture: false, areas: ['本庄市'], description: '', services: '', source: 'test', status: 'approved' });
    const u = new User(own.engine, actor('UCARD'));
    await u.say('/pf-provider 説明なし見守り隊');
    expect(u.text()).toContain('説明なし見守り隊');
    expect(u.text()).toContain('地域: 本庄市');
    expect(u.text()).not.toContain('内容:');
    own.dispose();
  });

  it('searches keywords of three characters and more (trigram) and of one and two characters (bigram fallback)', async () => {
    const { providers } = app.services;
    expect(providers.search({ keyword: '見守り訪問' }).items.map((p) => p.name)).toEqual(['みまもりネット行田']);
    expect(providers.search({ keyword: '送迎' }).items.map((p) => p.name)).toEqual(['送迎タクシー秩父']);
    expect(providers.search({ keyword: '通院' }).items.map((p) => p.name)).toEqual(['送迎タクシー秩父']);
    expect(providers.search({ keyword: '車' }).total).toBeGreaterThanOrEqual(1);
    // the whole-prefecture provider matches any municipality, after the ones that name it
    expect(providers.search({ municipality: '羽生市' }).items.map((p) => p.name)).toEqual(['みまもりネット行田', '送迎タクシー秩父']);
    expect(providers.search({ categoryId: 'transport', municipality: '行田市' }).items.map((p) => p.name)).toEqual(['送迎タクシー秩父']);
    const u = new User(app.engine, actor('UPLAIN'));
    await u.say('見守りをしてくれる事業者は？');
    expect(u.text()).toContain('みまもりネット行田');
    expect(u.text()).toContain('生活サービス › 防犯・見守り');
  });

  it('treats quotes, SQL and FTS syntax in queries as plain text, and cuts very long ones', async () => {
    const { providers } = app.services;
    for (const k of ['"', "'; DROP TABLE providers; --", 'NEAR(a b)', 'a* OR b', '^見守', '見守り"', '(']) {
      expect(() => providers.search({ keyword: k })).not.toThrow();
    }
    expect(providers.count()).toBeGreaterThan(0);
    const u = new User(app.engine, actor('ULONGQ'));
    await u.command('pf-provider', `見守り ${'あ'.repeat(300)}`);
    expect(u.text()).toMatch(/先頭の(200|50)文字で検索しました/);
  });

  it('pages results ten at a time with 「1/3」, and turns pages when 「次へ」「前へ」 are typed (the search is kept)', async () => {
    const many = Array.from({ length: 25 }, (_, i) => row({ 外部ID: `p${i}`, 名称: `配食サービス${String(i).padStart(2, '0')}`, 組織の種類: '企業', カテゴリ: '宅配・デリバリー', サブカテゴリ: '弁当配達', 対象市町村: '行田市' }));
    expect(await importCsv(Buffer.from(csv(...many)))).toContain('新規 25 件');
    const u = new User(app.engine, actor('UPAGE'));
    await u.command('pf-provider', '弁当配達 行田市');
    expect(u.text()).toContain('：25 件（1/3）');
    expect(u.text()).toContain('1/3 ページ');
    expect(u.text()).toContain('配食サービス09');
    expect(u.text()).not.toContain('配食サービス10');
    await u.press('次へ');
    expect(u.text()).toContain('2/3 ページ');
    expect(u.text()).toContain('配食サービス10');
    expect(u.text()).not.toContain('配食サービス00');
    // typed, as a Slack user would in the channel: the same page turns, no question is asked
    await u.say('次へ');
    expect(u.text()).toContain('3/3 ページ');
    await u.say('前へ');
    expect(u.text()).toContain('2/3 ページ');
    expect(u.text()).not.toContain('中断しました');
    await u.say('前へ');
    expect(u.text()).toContain('1/3 ページ');
    // on the first page 前へ leads nowhere: said so, and the list stays
    await u.say('前へ');
    expect(u.text()).toContain('「← 前へ」はいまは選べません');
    await u.say('次へ。');
    expect(u.text()).toContain('2/3 ページ');
    // the store keeps the total right past the last page (a page left open while entries are withdrawn)
    const beyond = app.services.providers.search({ subcategoryId: 'delivery-1', municipality: '行田市' }, 9, 5);
    expect(beyond).toEqual({ items: [], total: 25 });
  });

  it('matches several words as a phrase first, and a second category word by category or by text', async () => {
    const shop = (id: string, name: string, subs: string[], services: string): string =>
      row({ 外部ID: id, 名称: name, 組織の種類: '企業', カテゴリ: '買物', サブカテゴリ: subs.join('、'), 対象市町村: '羽生市', サービス内容: services });
    const text = csv(
      shop('ph1', '羽生マート', ['移動販売', '配送'], '食品の移動販売車'),
      shop('ph2', '羽生ストア', ['移動販売'], '移動販売 配送（重い物もお届け）'),
      shop('ph3', '羽生青果', ['移動販売'], '野菜の移動販売'),
      shop('ph4', '羽生便', ['配送'], '日用品の配送'),
    );
    expect(await importCsv(Buffer.from(text))).toContain('新規 4 件');
    const u = new User(app.engine, actor('UPHRASE'));
    await u.command('pf-provider', '移動販売 配送 羽生市');
    // both words hold for 羽生マート (two categories) and 羽生ストア (its text says 配送); the phrase ranks first
    expect(u.text()).toContain('買物 › 移動販売＋配送／羽生市：2 件');
    const names = [...u.text().matchAll(/■ (羽生\S+)（/g)].map((m) => m[1]);
    expect(names).toEqual(['羽生ストア', '羽生マート']);
    // plain keywords: the phrase first, then the ones saying both words apart
    expect(app.services.providers.search({ keyword: '重い物 お届け', phrase: '重い物 お届け' }).items.map((p) => p.name)).toEqual(['羽生ストア']);
  });

  it('folds kanji variants (髙橋, 齋藤, 渡邉) and keeps English words searchable as they are written', async () => {
    const text = csv(
      row({ 外部ID: 'it1', 名称: '髙橋商店', 組織の種類: '企業', カテゴリ: '買物', サブカテゴリ: '配送', 対象市町村: '行田市', サービス内容: '齋藤さんと渡邉さんが配達します' }),
      row({ 外部ID: 'en1', 名称: 'Green Mobile Market', 組織の種類: '企業', カテゴリ: '買物', サブカテゴリ: '移動販売', 対象市町村: '行田市', サービス内容: 'Fresh food by truck, IT support' }),
    );
    expect(await importCsv(Buffer.from(text))).toContain('新規 2 件');
    const { providers } = app.services;
    for (const k of ['高橋', '髙橋', '斉藤', '齊藤', '渡辺', '渡邊']) expect(providers.search({ keyword: k }).items.map((p) => p.name), k).toEqual(['髙橋商店']);
    for (const k of ['Green', 'green mobile', 'MARKET', 'truck', 'IT']) expect(providers.search({ keyword: k }).items.map((p) => p.name), k).toContain('Green Mobile Market');
    const u = new User(app.engine, actor('UITAIJI'));
    await u.command('pf-provider', '高橋');
    // the card shows the name as registered
    expect(u.text()).toContain('■ 髙橋商店（企業）');
    await u.command('pf-provider', 'Fresh food');
    expect(u.text()).toContain('■ Green Mobile Market（企業）');
    expect(u.text()).toContain('Fresh food by truck, IT support');
  });

  it('rejects a file with bad rows as a whole, naming every line and reason', async () => {
    const before = app.services.providers.count();
    const text = csv(
      row({ 名称: '正しい行', 組織の種類: '企業', カテゴリ: '買物', サブカテゴリ: '配送', 対象市町村: '行田市' }),
      row({ 名称: '', 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田市' }),
      row({ 名称: '種類が違う', 組織の種類: '会社', サブカテゴリ: '配送', 対象市町村: '行田市' }),
      row({ 名称: 'カテゴリ違い', 組織の種類: '企業', サブカテゴリ: '宇宙旅行', 対象市町村: '行田市' }),
      row({ 名称: '地域が不明', 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田町' }),
      row({ 名称: '連絡先が変', 組織の種類: '企業', サブカテゴリ: '配送', 県全域: 'はい', URL: 'ftp://x' }),
    );
    const out = await importCsv(Buffer.from(text));
    expect(out).toContain('取り込めませんでした（エラー 5 件）');
    expect(out).toContain('3行目: 名称が空です');
    expect(out).toContain('4行目: 組織の種類「会社」は');
    expect(out).toContain('5行目: サブカテゴリ「宇宙旅行」はありません');
    expect(out).toContain('6行目: 対象市町村「行田町」は市町村の一覧にありません');
    expect(out).toContain('7行目: URL は http://');
    expect(out).toContain('何も書き込んでいません');
    expect(app.services.providers.count()).toBe(before);
    // the valid first row was written as it was read, then rolled back with its keyword index
    expect(app.services.providers.search({ keyword: '正しい行' }).total).toBe(0);
  });

  it('rolls back a long import whose last row is bad, and rejects files with broken headers', async () => {
    const { providers } = app.services;
    const before = providers.count();
    const many = Array.from({ length: 300 }, (_, i) => row({ 外部ID: `long-${i}`, 名称: `長い取込${i}`, 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田市' }));
    const out = await importCsv(Buffer.from(csv(...many, row({ 名称: '最後の行', 組織の種類: '企業', サブカテゴリ: '配送' }))));
    expect(out).toContain('取り込めませんでした（エラー 1 件）');
    expect(out).toContain('302行目: 「対象市町村」か「県全域」のどちらかを入れてください');
    expect(providers.count()).toBe(before);
    expect(providers.search({ keyword: '長い取込' }).total).toBe(0);

    const noName = await importCsv(Buffer.from(['外部ID,組織の種類,サブカテゴリ', 'x,企業,配送'].join('\r\n')));
    expect(noName).toContain('1行目: 見出しに 「名称」 がありません');
    const unknown = await importCsv(Buffer.from([`${header},備考`, `${row({ 名称: '見出し違い', 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田市' })},メモ`].join('\r\n')));
    expect(unknown).toContain('1行目: 知らない見出しがあります: 備考');
    expect(await importCsv(Buffer.from(`${header}\r\n`))).toContain('データ行がありません');
    expect(providers.count()).toBe(before);
  });

  it('updates existing entries by external ID, offers a dry run, and round-trips through export', async () => {
    const { providers, kb } = app.services;
    const dry = await importCsv(Buffer.from(csv(row({ 外部ID: 'e1', 名称: 'みまもりネット行田（改称）', 組織の種類: 'NPO法人', サブカテゴリ: '防犯・見守り', 対象市町村: '行田市' }))), '確認');
    expect(dry).toContain('確認のみ（書き込んでいません）');
    expect(dry).toContain('新規 0 件、更新 1 件');
    expect(providers.search({ keyword: '改称' }).total).toBe(0);
    const before = providers.count();
    const dryNew = await importCsv(Buffer.from(csv(row({ 外部ID: 'dry-new', 名称: '試しの店', 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田市' }), row({ 外部ID: 'e2', 名称: '送迎タクシー秩父', 組織の種類: '企業', サブカテゴリ: '個別移送サービス', 県全域: 'はい' }))), '確認');
    expect(dryNew).toContain('2 行すべて問題ありません。取り込むと新規 1 件、更新 1 件');
    expect(providers.count()).toBe(before);
    expect(providers.search({ keyword: '試しの店' }).total).toBe(0);
    const done = await importCsv(Buffer.from(csv(row({ 外部ID: 'e1', 名称: 'みまもりネット行田（改称）', 組織の種類: 'NPO法人', サブカテゴリ: '防犯・見守り', 対象市町村: '行田市' }))));
    expect(done).toContain('新規 0 件、更新 1 件');
    expect(providers.search({ keyword: '改称' }).items[0]!.areas).toEqual(['行田市']);
    const exported = exportProvidersCsv(providers.all(), kb.taxonomy);
    expect([...exported.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const count = providers.count();
    const again = await importCsv(exported);
    // an unchanged file writes nothing and says so
    expect(again).toContain(`新規 0 件、更新 0 件、変更なし ${count} 件`);
    expect(providers.count()).toBe(count);
    const template = await parseProvidersCsv(templateCsv(), { taxonomy: kb.taxonomy, municipalities: ['行田市'], suggest: () => [], defaultSource: 't' });
    expect(template.errors).toEqual([]);
  });

  it('takes a registration, keeps it out of lookups until approved, and tells the submitter', async () => {
    const shop = new User(app.engine, actor('USHOP'));
    await shop.command('pf-provider', '登録');
    await shop.say('カフェひだまり');
    await shop.press('企業');
    await shop.choose('category', ['exercise-place']);
    await shop.choose('subcategories', ['exercise-place-3']);
    await shop.press('次へ');
    await shop.choose('areas', ['羽生市']);
    await shop.say('高齢者向けのモーニングと体操の会');
    await shop.say('048-000-1234 https://hidamari.example.jp');
    expect(shop.text()).toContain('申込内容の確認');
    await shop.press('この内容で申し込む');
    expect(shop.text()).toContain('掲載されるまでは検索結果に表示されません');
    const notice = shop.last.effects.find((e) => e.reason === 'admin_notice');
    expect(notice?.target).toEqual({ platform: 'slack', channelId: 'CDESK' });
    const { providers } = app.services;
    expect(providers.search({ keyword: 'ひだまり' }).total).toBe(0);
    const pending = providers.pending().find((p) => p.name === 'カフェひだまり')!;
    expect(pending.phone).toBe('048-000-1234');

    const stranger = new User(app.engine, actor('USTRANGER'));
    await stranger.act('provider:approve', String(pending.id));
    expect(stranger.text()).toContain('権限がありません');
    expect(providers.get(pending.id)!.status).toBe('pending');

    const admin = new User(app.engine, actor('UADMIN'));
    await admin.command('pf-provider', '承認待ち');
    expect(admin.text()).toContain('カフェひだまり');
    await admin.act('provider:approve', String(pending.id));
    expect(admin.text()).toContain('承認し、掲載しました');
    expect(admin.last.effects[0]!.target).toEqual({ platform: 'slack', userId: 'USHOP' });
    expect(providers.search({ keyword: 'ひだまり' }).total).toBe(1);

    // a second registration, rejected with a reason
    const id2 = providers.add({ name: '却下される店', orgType: '企業', categories: [{ categoryId: 'shopping', subcategoryId: 'shopping-1' }], wholePrefecture: true, areas: [], description: '', services: 'x', source: 'test', status: 'pending' }, { platform: 'slack', by: 'USHOP' });
    await admin.act('provider:reject', String(id2));
    expect(admin.last.replies[0]!.form?.id).toBe('provider:reject');
    await admin.form('provider:reject', { reason: '県外の事業者のため' }, String(id2));
    expect(admin.text()).toContain('却下しました');
    expect(textOfEffect(admin)).toContain('理由: 県外の事業者のため');
    expect(providers.get(id2)!.status).toBe('rejected');
    expect(providers.search({ keyword: '却下される店' }).total).toBe(0);
  });

  it('suggests names for an unknown category or municipality', async () => {
    const u = new User(app.engine, actor('USUGG'));
    await u.command('pf-provider', '宇宙旅行 行田市');
    expect(u.text()).toContain('見つかりませんでした');
    expect(u.text()).toContain('条件を選び直す');
  });
});

function textOfEffect(u: User): string {
  return u.last.effects.map((e) => e.reply.blocks.map((b) => ('text' in b ? b.text : '')).join('\n')).join('\n');
}
