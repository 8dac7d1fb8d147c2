/**
 * Issue 16: the bot keeps serving while a provider import runs (the database is never locked while
 * the file is checked, and the rows go in by short transactions, invisible until the commit), and
 * a directory larger than SQLite's 32,766 variables exports, with no formula cell, and imports back
 * onto itself. The CLI runs as an administrator runs it (`npm run providers:import/export`, a
 * separate process on the same database); the bot is the real engine in this process, logging
 * every answer in SQLite.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { M } from '../../src/messages/core.js';
import { CSV_HEADERS } from '../../src/providers/csv.js';
import { csvBuffer } from '../../src/csv/writer.js';
import { importProvidersCsv } from '../../src/providers/import.js';
import { openDatabase } from '../../src/store/db.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';
import { runTs, spawnTs } from '../helpers/spawn.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp({ ADMIN_USER_IDS: 'slack:UADMIN', RATE_LIMIT_PER_MINUTE: '10000' });
});
afterAll(() => app.dispose());

const SUBS = ['配送', '移動販売', '個別移送サービス', '防犯・見守り', '弁当配達'];
const AREAS = ['行田市', '羽生市', '熊谷市', '加須市'];
const FORMULA = /^[=+\-@\t\r]/;

/** COUNT generated providers; every 1,000th has cells starting with = + - @. */
function providersFile(count: number, prefix: string): Buffer {
  return csvBuffer([...CSV_HEADERS], (function* () {
    for (let i = 0; i < count; i++) {
      const attack = i % 1000 === 0;
      yield [`${prefix}-${i}`, attack ? `=HYPERLINK("http://evil.example","${i}")` : `生成した事業者 ${i}`, '', '企業', '', SUBS[i % SUBS.length]!, AREAS[i % AREAS.length]!, 'いいえ', '',
        attack ? '-1+2 の説明' : '高齢者の見守りと配達', attack ? '@SUM(A1)' : '毎週の訪問', attack ? '+81-48-000-0000' : '048-000-0000', '', '', '生成データ', i % 10 === 0 ? '承認待ち' : '掲載中'];
    }
  })());
}

describe('a large import while the bot is serving', () => {
  it('answers every question asked during a CLI import, and never finds the database locked while the file is being checked', { timeout: 300_000 }, async () => {
    const file = join(app.dir, 'big.csv');
    writeFileSync(file, providersFile(12_000, 'big'));
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: app.dir, LOG_LEVEL: 'silent' };
    const child = spawnTs('bin/providers.ts', ['import', file], { cwd: app.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += String(d)));
    child.stderr!.on('data', (d) => (stderr += String(d)));
    let running = true;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => ((running = false), resolve(code))));

    // a second connection that never waits: while the CLI reads and checks rows, it can always take the write lock
    const probe = openDatabase(join(app.dir, 'bot.sqlite'));
    probe.pragma('busy_timeout = 0');
    const probes: boolean[] = [];
    const asker = new User(app.engine, actor('UASKER'));
    const replies: string[] = [];
    const before = app.services.providers.count();
    const counts = new Set<number>();
    let duringImport = 0;
    while (running) {
      counts.add(app.services.providers.count());
      if (/行を確認/.test(stderr) && !/書き込み中/.test(stderr)) {
        try {
          probe.exec('BEGIN IMMEDIATE; ROLLBACK');
          probes.push(true);
        } catch {
          probes.push(false);
        }
      }
      await asker.command('pf', '企業へのアプローチ方法は？');
      replies.push(asker.text());
      if (running) duringImport++;
      await new Promise((r) => setTimeout(r, 50));
    }
    probe.close();
    expect(await exited, stderr).toBe(0);
    expect(stdout).toContain('取り込みました: 新規 12000 件、更新 0 件');
    // the CLI wrote in several short transactions, and the bot saw the directory before or after the import, never half of it
    expect(Number(/書き込み (\d+) 回/.exec(stdout)?.[1])).toBeGreaterThan(1);
    counts.add(app.services.providers.count());
    expect([...counts]).toEqual([before, before + 12_000].slice(0, counts.size));
    expect(app.services.providers.count()).toBe(before + 12_000);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every(Boolean)).toBe(true);
    // the import overlapped many questions, and not one of them failed (each answer was logged too)
    expect(duringImport).toBeGreaterThanOrEqual(5);
    expect(replies.filter((r) => r.includes(M.internalError))).toEqual([]);
    expect(replies.filter((r) => !r.includes('アプローチ方法'))).toEqual([]);
    const logged = app.db.prepare("SELECT COUNT(*) AS n FROM answers WHERE user_id = 'UASKER'").get() as { n: number };
    expect(logged.n).toBe(replies.length);
  });

  it('exports more providers than the 32,766 variables SQLite allows, with no formula cell, and imports the export back onto itself', { timeout: 300_000 }, async () => {
    const { providers, kb } = app.services;
    const imported = await importProvidersCsv(providers, providersFile(33_000, 'many'), { taxonomy: kb.taxonomy, municipalities: [], suggest: () => [], defaultSource: 'test' });
    expect(imported.errors).toEqual([]);
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: app.dir, LOG_LEVEL: 'silent' };
    const run = (...args: string[]) => runTs('bin/providers.ts', args, { cwd: app.dir, env, timeoutMs: 240_000 });
    const out1 = join(app.dir, 'out1.csv');
    const e1 = await run('export', out1);
    expect(e1.status, e1.stderr).toBe(0);
    const total = providers.count();
    expect(total).toBeGreaterThan(33_000);
    expect(e1.stdout).toContain(`${total} 件を書き出しました`);
    const first = readFileSync(out1);
    const rows = parse(first.subarray(3).toString('utf8')) as string[][];
    expect(rows).toHaveLength(total + 1);
    for (const r of rows) for (const c of r) expect(c).not.toMatch(FORMULA);
    expect(rows.find((r) => r[0] === 'many-1000')!.slice(1, 2)).toEqual(['\'=HYPERLINK("http://evil.example","1000")']);

    // export → import → export keeps every row, and the second file is the first
    const back = await run('import', out1);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toContain(`取り込みました: 新規 0 件、更新 0 件、変更なし ${total} 件`);
    const out2 = join(app.dir, 'out2.csv');
    expect((await run('export', out2)).status).toBe(0);
    expect(readFileSync(out2).equals(first)).toBe(true);
  });

  it('keeps answering other users while an upload in the chat is being checked', async () => {
    const admin = actor('UADMIN');
    const asker = new User(app.engine, actor('UOTHER'));
    const done: string[] = [];
    const upload = app.engine.handle({ kind: 'file', actor: admin, purpose: 'providers_import', fileName: 'chat.csv', data: providersFile(6_000, 'chat') }).then((r) => {
      done.push('import');
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i++) {
      await asker.command('pf', '企業へのアプローチ方法は？');
      expect(asker.text()).toContain('アプローチ方法');
      done.push(`question ${i}`);
    }
    const result = await upload;
    expect(JSON.stringify(result.replies)).toContain('取り込みました: 新規 6000 件');
    // the questions were answered while the file was being read, not queued behind it
    expect(done.indexOf('question 0')).toBeLessThan(done.indexOf('import'));
  });
});
