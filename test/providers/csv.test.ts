/**
 * Issue 16 through the chat: exports that cannot attack the admin's spreadsheet, an export that
 * imports back onto itself (providers of every origin), and imports that refuse bad files with
 * short Japanese reasons. Files go in and out through the real terminal adapter (its
 * 「/pf-provider インポート ファイル.csv」 and the files it saves), as an administrator does it.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_HEADERS } from '../../src/providers/csv.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';
import { Conversation } from '../helpers/terminal.js';

let app: TestApp;
let admin: Conversation;
let exportDir: string;
beforeAll(async () => {
  app = await testApp({ ADMIN_USER_IDS: 'terminal:local' });
  exportDir = join(app.dir, 'exports');
  admin = new Conversation(app.core, { exportDir });
});
afterAll(() => app.dispose());

type Cells = Partial<Record<(typeof CSV_HEADERS)[number], string>>;
const row = (o: Cells): string => CSV_HEADERS.map((h) => `"${(o[h] ?? '').replace(/"/g, '""')}"`).join(',');
const csv = (...rows: string[]): string => [CSV_HEADERS.join(','), ...rows].join('\r\n') + '\r\n';
const OK: Cells = { 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田市' };

let n = 0;
/** Writes the bytes to a file and imports it through the terminal adapter; returns what it printed. */
async function importFile(data: Buffer | string, args = ''): Promise<string> {
  const file = join(app.dir, `upload-${++n}.csv`);
  writeFileSync(file, data);
  return admin.say(`/pf-provider インポート ${args ? `${args} ` : ''}${file}`);
}

/** Exports through the terminal adapter; returns the saved file's bytes. */
async function exportFile(command = '/pf-provider エクスポート'): Promise<{ name: string; data: Buffer; printed: string }> {
  mkdirSync(exportDir, { recursive: true });
  const before = new Set(readdirSync(exportDir));
  const printed = await admin.say(command);
  const saved = /ファイルを保存しました: (.+)$/m.exec(printed)?.[1];
  if (!saved) throw new Error(`no file saved:\n${printed}`);
  void before;
  return { name: saved.split(/[\\/]/).pop()!, data: readFileSync(saved), printed };
}

const table = (data: Buffer): string[][] => parse(data.subarray(3).toString('utf8'), { relax_column_count: false }) as string[][];
const FORMULA = /^[=+\-@\t\r]/;

const ATTACK_NAME = '=HYPERLINK("http://evil.example","クリック")';
const ATTACK_SERVICES = "=cmd|' /C calc'!A0";

describe('provider CSV that a prefecture can trust (issue 16)', () => {
  it('exports providers of every origin with no cell a spreadsheet would run, and export → import → export is the identity', async () => {
    // CSV: formula-like cells, a row without 外部ID, and the three statuses
    const imported = await importFile(csv(
      row({ ...OK, 外部ID: 'atk-1', 名称: ATTACK_NAME, サービス内容: ATTACK_SERVICES, 電話番号: '+81-48-000-0000' }),
      row({ ...OK, 外部ID: 'atk-2', 名称: '@SUM(1+1)', 高齢者向けサービスの説明: '-2+3 で計算', サービス内容: "'=すでに引用符つき", 状態: '承認待ち' }),
      row({ ...OK, 名称: '外部IDのない店', 県全域: 'はい', 対象市町村: '', 状態: '却下' }),
      row({ ...OK, 外部ID: 'plain-1', 名称: 'ふつうの店', 高齢者向けサービスの説明: '複数行の\n説明', 対象市町村: '行田市、羽生市' }),
    ));
    expect(imported).toContain('取り込みました: 新規 4 件、更新 0 件（文字コード: UTF-8）');

    // chat registrations: one approved, one rejected, one left pending (a guest's formula as its name)
    const register = async (userId: string, name: string): Promise<number> => {
      const u = new User(app.engine, actor(userId, 'terminal'));
      await u.command('pf-provider', '登録');
      await u.say(name);
      await u.press('企業');
      await u.choose('category', ['shopping']);
      await u.choose('subcategories', ['shopping-1']);
      await u.press('次へ');
      await u.choose('areas', ['行田市']);
      await u.say(ATTACK_SERVICES);
      await u.say('+81-48-000-1234');
      await u.press('この内容で申し込む');
      return Number(/申込番号 #(\d+)/.exec(u.text())![1]);
    };
    const approved = await register('UGUEST1', '承認される店');
    const rejected = await register('UGUEST2', '却下される店');
    await register('UGUEST3', `=HYPERLINK("http://evil.example","申込")`);
    const reviewer = new User(app.engine, actor('local', 'terminal'));
    await reviewer.act('provider:approve', String(approved));
    await reviewer.form('provider:reject', { reason: '=1+1 県外のため' }, String(rejected));
    expect(app.services.providers.get(rejected)!.status).toBe('rejected');

    const first = await exportFile();
    expect(first.printed).toContain('CSV で出力しました');
    const rows = table(first.data);
    expect(rows[0]).toEqual([...CSV_HEADERS]);
    const total = app.services.providers.count();
    expect(rows).toHaveLength(total + 1);
    // no exported cell would run as a formula
    for (const r of rows) for (const c of r) expect(c).not.toMatch(FORMULA);
    const byName = new Map(rows.map((r) => [r[1], r]));
    expect(byName.has(`'${ATTACK_NAME}`)).toBe(true);
    expect(byName.get(`'${ATTACK_NAME}`)![10]).toBe(`'${ATTACK_SERVICES}`);
    expect(byName.get(`'${ATTACK_NAME}`)![11]).toBe("'+81-48-000-0000");
    // a cell the file already quoted is read as its text (=…), and written quoted again
    expect(byName.get("'@SUM(1+1)")![10]).toBe("'=すでに引用符つき");
    // every origin is there, each with a stable external id; a chat registration names its platform in Japanese
    const ids = rows.slice(1).map((r) => r[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id !== '')).toBe(true);
    expect(ids).toContain('doc-welcia-gyoda');
    expect(ids).toContain(`pf-${approved}`);
    const chatRow = rows.find((r) => r[0] === `pf-${approved}`)!;
    expect(chatRow[14]).toBe('チャットからの掲載申込（端末）');
    expect(chatRow[15]).toBe('掲載中');
    expect(rows.find((r) => r[0] === `pf-${rejected}`)![15]).toBe('却下');
    expect(rows.filter((r) => r[15] === '承認待ち').map((r) => r[1])).toEqual(["'@SUM(1+1)", `'=HYPERLINK("http://evil.example","申込")`]);
    expect(first.data.subarray(3).toString('utf8')).not.toMatch(/terminal|slack|discord/);

    // import the unchanged file: every row updates itself, none is new; the next export is the same file
    const back = await importFile(first.data);
    expect(back).toContain(`取り込みました: 新規 0 件、更新 0 件、変更なし ${total} 件（文字コード: UTF-8（BOM 付き））`);
    expect(app.services.providers.count()).toBe(total);
    const second = await exportFile();
    expect(second.data.equals(first.data)).toBe(true);
    // the stored text is the original (the quote only lives in the file)
    const stored = app.services.providers.search({ keyword: 'ふつうの店' }).items[0]!;
    expect(stored.areas).toEqual(['行田市', '羽生市']);
    expect(app.services.providers.all().find((p) => p.externalId === 'atk-1')!.services).toBe(ATTACK_SERVICES);
  });

  it('refuses files it cannot read honestly: encoding verdicts, broken quotes and binary files, in Japanese with the right line', async () => {
    const before = app.services.providers.count();
    // mixed line endings: three rows stay three rows
    const mixed = `${CSV_HEADERS.join(',')}\r\n${row({ ...OK, 外部ID: 'le-1', 名称: '改行1' })}\r\n${row({ ...OK, 外部ID: 'le-2', 名称: '改行2' })}\n${row({ ...OK, 外部ID: 'le-3', 名称: '改行3' })}\n`;
    expect(await importFile(mixed)).toContain('新規 3 件、更新 0 件');

    // Shift_JIS with invalid bytes in the name on line 3
    const sjis = Buffer.concat([iconv.encode(csv(row({ ...OK, 名称: 'よい行' })), 'cp932'), iconv.encode('"","テスト', 'cp932'), Buffer.from([0x81, 0x0d]), Buffer.from([0x0a])]);
    const s = await importFile(sjis);
    expect(s).toContain('取り込めませんでした');
    expect(s).toMatch(/3行目: .*UTF-8 でも Shift_JIS でも読めない/);
    expect(s).not.toContain('�');

    // a UTF-8 file with one Shift_JIS row: the encoding is named, not a header problem
    const utf8WithSjis = Buffer.concat([Buffer.from(csv(row({ ...OK, 名称: 'UTF-8の行' }))), iconv.encode(`${row({ ...OK, 名称: 'Shift_JISの行' })}\r\n`, 'cp932')]);
    const m = await importFile(utf8WithSjis);
    expect(m).toContain('3行目: 文字コードが混ざっています');
    expect(m).not.toContain('見出し');

    // an unclosed quote on line 2: said in Japanese, on line 2
    const q = await importFile(`${CSV_HEADERS.join(',')}\n"外部ID,名称\nx,y\nz,w\n`);
    expect(q).toContain('2行目: 2行目で始まる「"」が閉じていません');
    expect(q).not.toMatch(/Quote|parsing|Invalid/);

    // a binary file: refused without echoing its bytes
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR\u0000secret-bytes')]);
    const b = await importFile(png);
    expect(b).toContain('テキストの CSV ファイルではないようです');
    expect(b).not.toMatch(/PNG|IHDR|secret/);
    expect(app.services.providers.count()).toBe(before + 3);
  });

  it('validates strictly: documented booleans only, unknown categories named with the nearest valid ones, control characters stripped, short and capped error lists', async () => {
    const before = app.services.providers.count();
    const out = await importFile(csv(
      row({ ...OK, 名称: 'たぶん全域', 県全域: 'たぶん', 対象市町村: '' }),
      row({ ...OK, 名称: '宇宙の店', カテゴリ: '宇宙旅行' }),
      row({ ...OK, 名称: '誤字の店', サブカテゴリ: '移動販賣' }),
      row({ ...OK, 名称: '列が多い' }) + ',"余分"',
    ));
    expect(out).toContain('取り込めませんでした（エラー 4 件）');
    expect(out).toContain('2行目: 県全域「たぶん」は「はい」「いいえ」「不明」のどれかで書いてください');
    expect(out).toMatch(/3行目: カテゴリ「宇宙旅行」はありません（(近いもの|使えるもの): /);
    expect(out).not.toContain('カテゴリを1つ以上指定してください');
    expect(out).toMatch(/4行目: サブカテゴリ「移動販賣」はありません（近いもの: 移動販売/);
    expect(out).toContain('5行目: 列の数が見出しと違います（見出し 16 列、この行 17 列');
    expect(app.services.providers.count()).toBe(before);

    // NUL, BOM and zero-width characters inside cells are removed, as in chat messages
    const clean = await importFile(csv(row({ ...OK, 外部ID: 'ctl-1', 名称: 'ヌル\u0000入り\uFEFF店\u200B', サービス内容: '見守り\u0007訪問' })));
    expect(clean).toContain('新規 1 件');
    const p = app.services.providers.all().find((x) => x.externalId === 'ctl-1')!;
    expect(p.name).toBe('ヌル入り店');
    expect(p.services).toBe('見守り訪問');

    // a 10,000-column header: one short line, not 79 KB
    const wide = await importFile(`${CSV_HEADERS.join(',')},${Array.from({ length: 10_000 }, (_, i) => `余分な見出し${i}`).join(',')}\n${row({ ...OK, 名称: 'x' })}\n`);
    expect(wide).toContain('1行目: 知らない見出しがあります: 余分な見出し0、余分な見出し1、余分な見出し2、余分な見出し3、余分な見出し4 ほか 9995 個');
    for (const line of wide.split('\n')) expect(line.length).toBeLessThan(300);

    // sixty bad rows: the first 50 are listed, then 「ほか 10 件」
    const many = await importFile(csv(...Array.from({ length: 60 }, (_, i) => row({ ...OK, 名称: `店${i}`, 県全域: 'たぶん', 対象市町村: '' }))));
    expect(many).toContain('取り込めませんでした（エラー 60 件）');
    expect(many).toContain('51行目: 県全域');
    expect(many).not.toContain('52行目');
    expect(many).toContain('ほか 10 件');
  });

  it('names exported files by the date in Japan and neutralises the checklist and usage exports through the same writer', async () => {
    const { municipalities, checklists } = app.services;
    // 20:30 UTC is 05:30 the next morning in Japan: the file is named on the Japanese date
    app.advance(Date.UTC(2031, 0, 9, 20, 30) - Date.now());
    const gyoda = municipalities.find('行田市')[0]!;
    checklists.submit(gyoda.id, { q1: { q1a: 'no' }, q2: '=HYPERLINK("http://evil.example","課題")', q3: { options: ['other'], other: '+課題' }, q4: { options: ['no-support'] } }, 'terminal', 'local', Date.UTC(2031, 0, 9, 20, 0));
    const checklist = await exportFile('/pf-checklist エクスポート');
    expect(checklist.name).toBe('checklist-2031-01-10.csv');
    const crow = table(checklist.data).find((r) => r[0] === '行田市')!;
    // the column after the answer's version is the question set's version (issue 21), then the time in Japan
    expect(crow[4]).toBe('2031-01-10 05:00:00');
    expect(crow).toContain(`'=HYPERLINK("http://evil.example","課題")`);
    expect(crow).toContain("'+課題");
    for (const r of table(checklist.data)) for (const c of r) expect(c).not.toMatch(FORMULA);

    const asker = new User(app.engine, actor('UASK', 'terminal'));
    await asker.command('pf', '=1+1 企業へのアプローチ方法は？');
    const usage = await exportFile('/pf 統計 CSV');
    expect(usage.name).toBe('usage-2031-01-10.csv');
    const urows = table(usage.data);
    expect(urows[0]![1]).toBe('日時（日本時間）');
    const asked = urows.find((r) => r[3] === "'=1+1 企業へのアプローチ方法は？")!;
    expect(asked[2]).toBe('端末');
    expect(asked[4]).toBe('質問');
    for (const r of urows) for (const c of r) expect(c).not.toMatch(FORMULA);
    const providers = await exportFile();
    expect(providers.name).toBe('providers-2031-01-10.csv');
  });
});
