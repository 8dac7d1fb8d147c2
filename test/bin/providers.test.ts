import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_HEADERS } from '../../src/providers/csv.js';
import { openDatabase } from '../../src/store/db.js';
import { tempDir } from '../helpers/app.js';
import { runTs, spawnTs } from '../helpers/spawn.js';

const row = (o: Partial<Record<(typeof CSV_HEADERS)[number], string>>): string => CSV_HEADERS.map((h) => JSON.stringify(o[h] ?? '')).join(',');
const csv = (...rows: string[]): string => [CSV_HEADERS.join(','), ...rows].join('\r\n') + '\r\n';

describe('npm run providers:import / providers:export', () => {
  const dir = tempDir('pf-cli-import-');
  const env = { PATH: process.env.PATH ?? '', DATA_DIR: join(dir, 'data') };
  const run = (...args: string[]) => runTs('bin/providers.ts', args, { cwd: dir, env });

  it('checks with --dry-run, imports, refuses a broken file without writing, and exports what it holds', { timeout: 180_000 }, async () => {
    const good = join(dir, 'good.csv');
    writeFileSync(good, csv(
      row({ 外部ID: 'c1', 名称: 'コマンド商店', 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田市' }),
      row({ 外部ID: 'c2', 名称: 'コマンド送迎', 組織の種類: 'NPO法人', サブカテゴリ: '個別移送サービス', 県全域: 'はい' }),
    ));
    const dry = await run('import', good, '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('確認のみ（書き込んでいません）: 2 行すべて問題ありません。新規 2 件、更新 0 件');

    const done = await run('import', good);
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain('取り込みました: 新規 2 件、更新 0 件');

    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, csv(row({ 外部ID: 'c3', 名称: '新しい店', 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田市' }), row({ 名称: '種類が違う', 組織の種類: '会社', サブカテゴリ: '配送', 県全域: 'はい' })));
    const refused = await run('import', broken);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('取り込めませんでした（エラー 1 件。何も書き込んでいません）');
    expect(refused.stderr).toContain('3行目: 組織の種類「会社」は');

    const again = await run('import', good);
    expect(again.stdout).toContain('新規 0 件、更新 0 件、変更なし 2 件');

    const out = join(dir, 'out.csv');
    const exported = await run('export', out);
    expect(exported.status, exported.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('コマンド商店');
    expect(text).toContain('コマンド送迎');
    expect(text).not.toContain('新しい店');
  });

  it('undoes what it wrote when stopped with Ctrl+C before its commit, and says so', { timeout: 180_000 }, async () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, csv(...Array.from({ length: 8000 }, (_, i) => row({ 外部ID: `s${i}`, 名称: `中断テスト${i}`, 組織の種類: '企業', サブカテゴリ: '配送', 対象市町村: '行田市' }))));
    const db = openDatabase(join(dir, 'data', 'bot.sqlite'));
    const tables = (): number[] => ['providers', 'provider_categories', 'provider_areas', 'provider_fts', 'provider_grams', 'provider_hidden'].map((t) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number);
    const before = tables();
    const child = spawnTs('bin/providers.ts', ['import', big], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stored = 0;
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // after the first batch is in (committed on its own, hidden), as an administrator presses Ctrl+C
      if (/[1-9]\d* 行を書き込み中/.test(stderr) && !stored) {
        stored = db.prepare('SELECT COUNT(*) FROM providers').pluck().get() as number;
        child.kill('SIGINT');
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stored).toBeGreaterThan(before[0]!);
    expect(status).toBe(1);
    expect(stderr).toContain('中断しています（書きかけの内容を取り消しています）…');
    expect(stderr).toContain('取り込みを中断しました。書きかけの内容はすべて取り消し、何も変わっていません。');
    expect(tables()).toEqual(before);
    db.close();
  });
});
