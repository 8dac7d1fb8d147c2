import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes } from '../../src/csv/decode.js';
import { cleanCell, CsvReadError, errorLines, readCsv } from '../../src/csv/reader.js';
import { datedFileName, localDateTime } from '../../src/csv/time.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { csvBuffer, escapeCell, unescapeCell } from '../../src/csv/writer.js';

async function records(data: Buffer): Promise<{ line: number; cells: string[] }[]> {
  const out: { line: number; cells: string[] }[] = [];
  for await (const r of readCsv(data).records) out.push(r);
  return out;
}

async function failure(data: Buffer): Promise<CsvReadError> {
  try {
    await records(data);
  } catch (error) {
    if (error instanceof CsvReadError) return error;
    throw error;
  }
  throw new Error('no error');
}

const ATTACKS = ['=HYPERLINK("http://evil.example","クリック")', "=cmd|' /C calc'!A0", '+81-48-000-0000', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1', "'=already quoted", "''=twice", "'plain", '普通の文字'];

describe('the shared CSV writer', () => {
  it('neutralises every cell that starts with = + - @ tab or CR (OWASP), and the reader gives back the original text', async () => {
    const file = csvBuffer(['名称', 'メモ'], ATTACKS.map((a) => [a, `x${a}`]));
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = file.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('名称,メモ');
    const read = await records(file);
    // no cell as a spreadsheet reads it starts with a formula character
    for (const r of read) for (const c of r.cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
    expect(read[1]!.cells[0]).toBe(`'=HYPERLINK("http://evil.example","クリック")`);
    // cells not starting with a formula character are written as they are
    expect(read.at(-1)!.cells).toEqual(['普通の文字', 'x普通の文字']);
    // the round trip is the identity (CR inside a cell is a line break: the reader normalises it to LF)
    expect(read.slice(1).map((r) => r.cells.map(unescapeCell))).toEqual(ATTACKS.map((a) => [a.replace(/\r/g, '\n'), `x${a}`.replace(/\r/g, '\n')]));
    for (const a of ["'=x", "''+y", "'z", '=q']) expect(unescapeCell(escapeCell(a))).toBe(a);
  });

  it('names files and writes timestamps in Asia/Tokyo unless another zone is configured', () => {
    const at = Date.UTC(2026, 11, 1, 20, 30, 0); // 2026-12-02 05:30 in Japan
    expect(datedFileName('checklist', at)).toBe('checklist-2026-12-02.csv');
    expect(localDateTime(at)).toBe('2026-12-02 05:30:00');
    expect(datedFileName('checklist', at, 'UTC')).toBe('checklist-2026-12-01.csv');
    expect(localDateTime(at, 'UTC')).toBe('2026-12-01 20:30:00');
    // the zone comes from TZ when it names one; a system value such as ':/etc/localtime' falls back
    expect(loadConfig({}, PROJECT_ROOT).timeZone).toBe('Asia/Tokyo');
    expect(loadConfig({ TZ: 'UTC' }, PROJECT_ROOT).timeZone).toBe('UTC');
    expect(loadConfig({ TZ: ':/etc/localtime' }, PROJECT_ROOT).timeZone).toBe('Asia/Tokyo');
  });
});

describe('the shared CSV reader', () => {
  it('normalises line endings before parsing: CRLF lines followed by LF lines stay separate records', async () => {
    const data = Buffer.from('a,b\r\n1,x\r\n2,y\n3,z\n4,"複数\r\n行"\n');
    const read = await records(data);
    expect(read.map((r) => r.cells)).toEqual([['a', 'b'], ['1', 'x'], ['2', 'y'], ['3', 'z'], ['4', '複数\n行']]);
    expect(read.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives each record the line it starts on, across quoted line breaks and empty lines', async () => {
    const read = await records(Buffer.from('h1,h2\n"a\nb\nc",1\n\nx,2\n'));
    expect(read.map((r) => r.line)).toEqual([1, 2, 6]);
  });

  it('decides the encoding per file with a verdict, never decoding with replacement characters', () => {
    const good = '名称,住所\nテスト,行田市\n';
    expect(decodeCsvBytes(Buffer.from(good))).toMatchObject({ ok: true, encoding: 'utf-8', text: good });
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]))).toMatchObject({ ok: true, encoding: 'utf-8-bom', text: good });
    expect(decodeCsvBytes(iconv.encode(good, 'cp932'))).toMatchObject({ ok: true, encoding: 'shift_jis', text: good });
    // Shift_JIS with invalid bytes on line 3: refused, naming Shift_JIS and the line
    const broken = Buffer.concat([iconv.encode('名称,住所\nよい行,行田市\n', 'cp932'), iconv.encode('テスト', 'cp932'), Buffer.from([0x81, 0x0d, 0x40, 0xff, 0xfe]), Buffer.from(',x\n')]);
    const b = decodeCsvBytes(broken);
    expect(b.ok).toBe(false);
    if (!b.ok) {
      expect(b.line).toBe(3);
      expect(b.message).toContain('Shift_JIS');
      expect(b.message).not.toContain('�');
    }
    // a UTF-8 file with one Shift_JIS row: refused as mixed, naming the line
    const mixed = Buffer.concat([Buffer.from('名称,住所\nよい行,行田市\n'), iconv.encode('混ざった行,羽生市\n', 'cp932'), Buffer.from('最後,熊谷市\n')]);
    const m = decodeCsvBytes(mixed);
    expect(m).toMatchObject({ ok: false, line: 3 });
    if (!m.ok) expect(m.message).toContain('文字コードが混ざっています');
    // a binary file: refused without echoing its bytes
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const p = decodeCsvBytes(png);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toMatch(/^テキストの CSV ファイルではないようです/);
  });

  it('translates parser errors into Japanese with the line where the broken record starts', async () => {
    const e = await failure(Buffer.from('名称,メモ\n"閉じていない,x\nb,2\nc,3\nd,4\n'));
    expect(e.line).toBe(2);
    expect(e.userMessage).toBe('2行目で始まる「"」が閉じていません（セルの中の「"」は「""」と2つ重ねて書きます）');
    const q = await failure(Buffer.from('名称,メモ\na,1\n"閉じた"あと,2\n'));
    expect(q.userMessage).toMatch(/^3行目: /);
    for (const err of [e, q]) expect(err.userMessage).not.toMatch(/[A-Za-z]{4,}/);
  });

  it('cleans cells like chat input: NUL, BOM and other control characters removed, the formula quote undone', () => {
    expect(cleanCell('テ\u0000スト\uFEFF店\u200B')).toBe('テスト店');
    expect(cleanCell("'=SUM(1)")).toBe('=SUM(1)');
    expect(cleanCell('  前後の空白  ')).toBe('前後の空白');
  });

  it('caps error lists: the first 50, then 「ほか N 件」', () => {
    const lines = errorLines(Array.from({ length: 60 }, (_, i) => ({ line: i + 2, message: 'だめ' })));
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe('2行目: だめ');
    expect(lines.at(-1)).toBe('ほか 10 件');
  });
});
