/**
 * Issue 16: a provider import writes in short transactions and stays all-or-nothing. While its
 * batches go in, another connection (the bot) can take the write lock between them and sees none
 * of the import; the commit shows it whole; a cancel, a conflict or the death of the importing
 * process leaves nothing behind, and an import that had committed is finished at the next start.
 * Everything runs on real better-sqlite3 files, two connections each, the killed importer in a
 * process of its own.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { csvBuffer } from '../../src/csv/writer.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { CSV_HEADERS } from '../../src/providers/csv.js';
import { importProvidersCsv, type ImportOptions } from '../../src/providers/import.js';
import { ImportCancelledError, ImportConflictError } from '../../src/providers/merge.js';
import { ProviderStore } from '../../src/providers/repository.js';
import { ImportBusyError } from '../../src/providers/staging.js';
import { createRepositories } from '../../src/services.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { tempDir } from '../helpers/app.js';
import { runTs } from '../helpers/spawn.js';

const kb = loadKnowledge({ dir: join(PROJECT_ROOT, 'knowledge') });
const ctx = { taxonomy: kb.taxonomy, municipalities: [], suggest: () => [], defaultSource: 'test' };
const SUBS = ['配送', '移動販売', '個別移送サービス', '防犯・見守り', '弁当配達'];
const AREAS = ['行田市', '羽生市', '熊谷市', '加須市'];

/** Rows FROM…TO-1 with ids `${prefix}-i`; `edit` marks a second version (another text, other categories and areas). */
function file(prefix: string, from: number, to: number, edit = ''): Buffer {
  return csvBuffer([...CSV_HEADERS], (function* () {
    for (let i = from; i < to; i++) {
      const subs = edit ? [SUBS[(i + 1) % 5]!, SUBS[(i + 3) % 5]!] : [SUBS[i % 5]!];
      const areas = edit ? [AREAS[(i + 2) % 4]!, AREAS[i % 4]!] : [AREAS[i % 4]!];
      yield [`${prefix}-${i}`, `事業者${prefix}${i}`, '', '企業', '', subs.join('、'), areas.join('、'), 'いいえ', '', `見守りと配達${edit}`, '毎週の訪問', '', '', '', '生成データ', '掲載中'];
    }
  })());
}

let open: Db[] = [];
afterEach(() => {
  for (const db of open) if (db.open) db.close();
  open = [];
});

/** The importer's connection and the bot's, on one new database file. */
function twoConnections(): { path: string; importer: ProviderStore; bot: ProviderStore; botDb: Db; raw: <T = number>(sql: string) => T } {
  const path = join(tempDir(), 'bot.sqlite');
  const a = openDatabase(path);
  const b = openDatabase(path);
  open.push(a, b);
  return { path, importer: new ProviderStore(a), bot: new ProviderStore(b), botDb: b, raw: <T = number>(sql: string) => b.prepare(sql).pluck().get() as T };
}

const small: ImportOptions = { batchRows: 100, fixedBatch: true, pauseMs: 0 };
const TABLES = ['providers', 'provider_categories', 'provider_areas', 'provider_fts', 'provider_grams', 'provider_hidden', 'provider_import_changes'];

describe('a provider import in short transactions', () => {
  it('writes batch by batch, lets the bot take the lock between them, and shows nothing until the commit shows everything', async () => {
    const { importer, bot, botDb, raw } = twoConnections();
    await importProvidersCsv(importer, file('old', 0, 5), ctx);
    const seen: { visible: number; stored: number; found: number; lockFree: boolean }[] = [];
    const outcome = await importProvidersCsv(importer, file('new', 0, 1000), ctx, {
      ...small,
      onProgress: (done, phase) => {
        // after each batch (not the notice before the first)
        if (phase !== 'write' || !done) return;
        // the bot's connection, never waiting: the lock is free between two batches
        botDb.pragma('busy_timeout = 0');
        let lockFree = true;
        try {
          botDb.exec('BEGIN IMMEDIATE; ROLLBACK');
        } catch {
          lockFree = false;
        }
        botDb.pragma('busy_timeout = 5000');
        seen.push({ visible: bot.count(), stored: raw('SELECT COUNT(*) FROM providers'), found: bot.search({ keyword: '事業者new' }).total + bot.search({ municipality: '行田市' }).total, lockFree });
      },
    });
    expect(outcome.created).toBe(1000);
    expect(seen).toHaveLength(10);
    // each batch was its own committed transaction (the rows are in the file) …
    expect(seen.map((s) => s.stored)).toEqual([105, 205, 305, 405, 505, 605, 705, 805, 905, 1005]);
    // … that the bot could interrupt, and in which it saw none of them: not counted, not found, not exported
    expect(seen.every((s) => s.lockFree)).toBe(true);
    expect(seen.every((s) => s.visible === 5 && s.found === 2)).toBe(true);
    expect(outcome.lock.transactions).toBeGreaterThanOrEqual(11);
    expect(outcome.lock.longestMs).toBeGreaterThan(0);
    expect(outcome.lock.longestMs).toBeLessThanOrEqual(outcome.lock.totalMs);
    // after the commit: all of them, everywhere
    expect(bot.count()).toBe(1005);
    expect(bot.search({ keyword: '事業者new' }).total).toBe(1000);
    expect(bot.coverage().local.get('行田市')?.get('shopping')).toBeGreaterThan(0);
    expect([...bot.iterate()].filter((p) => p.externalId?.startsWith('new-'))).toHaveLength(1000);
    expect(raw('SELECT COUNT(*) FROM provider_hidden')).toBe(0);
    expect(raw("SELECT COUNT(*) FROM provider_imports WHERE state = 'done'")).toBe(2);
  });

  it('applies changes at the commit: a batch with it, the rest right after; each provider whole and as in the file', async () => {
    const { importer, bot, raw } = twoConnections();
    await importProvidersCsv(importer, file('c', 0, 300), ctx);
    const before = bot.all();
    const during: { phase: string; changed: number; visible: number }[] = [];
    const changed = (): number => bot.all().filter((p) => p.description.endsWith('（改）')).length;
    const outcome = await importProvidersCsv(importer, Buffer.concat([file('c', 0, 300, '（改）'), file('d', 0, 50).subarray(file('d', 0, 0).length)]), ctx, {
      ...small,
      onProgress: (_done, phase) => {
        if (phase !== 'read') during.push({ phase, changed: changed(), visible: bot.count() });
      },
    });
    expect([outcome.created, outcome.updated, outcome.unchanged]).toEqual([50, 300, 0]);
    // while writing: the old versions only; then the commit shows the 50 new ones and the first 100 changes at once
    expect(during.filter((d) => d.phase === 'write').every((d) => d.changed === 0 && d.visible === 300)).toBe(true);
    expect(during.filter((d) => d.phase === 'apply')).toEqual([
      { phase: 'apply', changed: 200, visible: 350 },
      { phase: 'apply', changed: 300, visible: 350 },
    ]);
    const after = bot.all();
    for (const old of before) {
      const now = after.find((p) => p.id === old.id)!;
      const i = Number(old.externalId!.slice(2));
      expect(now.externalId).toBe(old.externalId);
      expect(now.categories.map((c) => c.subcategoryId)).toEqual([SUBS[(i + 1) % 5], SUBS[(i + 3) % 5]].map((n) => kb.taxonomy.categories.flatMap((c) => c.subcategories).find((s) => s.name === n)!.id));
      expect(now.areas).toEqual([AREAS[(i + 2) % 4], AREAS[i % 4]]);
    }
    expect(bot.search({ keyword: '事業者c7' }).items.every((p) => p.description.endsWith('（改）'))).toBe(true);
    expect(raw('SELECT COUNT(*) FROM provider_import_changes')).toBe(0);
  });

  it('undoes every batch when cancelled before its commit', async () => {
    const { importer, raw } = twoConnections();
    await importProvidersCsv(importer, file('k', 0, 20), ctx);
    const counts = (): number[] => TABLES.map((t) => raw(`SELECT COUNT(*) FROM ${t}`));
    const before = counts();
    const stop = new AbortController();
    let written = 0;
    const run = importProvidersCsv(importer, Buffer.concat([file('k', 0, 20, '（改）'), file('n', 0, 500).subarray(file('n', 0, 0).length)]), ctx, {
      ...small,
      signal: stop.signal,
      onProgress: (done, phase) => {
        if (phase !== 'write') return;
        written = Math.max(written, raw('SELECT COUNT(*) FROM providers'));
        if (done >= 300) stop.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
    expect(written).toBeGreaterThanOrEqual(320);
    expect(counts()).toEqual(before);
    expect(raw<string>('SELECT state FROM provider_imports ORDER BY id DESC LIMIT 1')).toBe('rolled_back');
  });

  it('refuses a second import while one is being written, from any connection, and undoes an import whose new id was taken meanwhile', async () => {
    const { importer, bot, raw } = twoConnections();
    let second = Promise.resolve<unknown>('not started');
    await importProvidersCsv(importer, file('a', 0, 300), ctx, {
      ...small,
      onProgress: (done, phase) => {
        if (phase === 'write' && done === 100) second = importProvidersCsv(bot, file('b', 0, 3), ctx).catch((e: unknown) => e);
      },
    });
    expect(await second).toBeInstanceOf(ImportBusyError);
    expect(bot.count()).toBe(300);

    const run = importProvidersCsv(importer, file('x', 0, 300), ctx, {
      ...small,
      onProgress: (done, phase) => {
        // registered by the bot while the import writes, with the id of one of the import's later rows
        if (phase === 'write' && done === 100) bot.add({ externalId: 'x-250', name: 'チャットで登録', orgType: '企業', categories: [{ categoryId: 'shopping', subcategoryId: 'shopping-4' }], wholePrefecture: true, areas: [], description: '', services: '', source: 'chat', status: 'approved' });
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportConflictError);
    expect((error as ImportConflictError).userMessage).toMatch(/^252行目: 外部ID「x-250」の事業者が、取り込みの途中に別の操作で登録されました。/);
    expect(bot.count()).toBe(301);
    expect(raw("SELECT COUNT(*) FROM providers WHERE external_id LIKE 'x-%'")).toBe(1);
    expect(raw('SELECT COUNT(*) FROM provider_hidden')).toBe(0);
  });
});

describe('an import whose process dies', () => {
  const child = async (path: string, csv: Buffer, mode: string): Promise<void> => {
    const csvPath = join(tempDir(), 'import.csv');
    writeFileSync(csvPath, csv);
    const r = await runTs('test/helpers/import-child.ts', [path, csvPath, mode], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '' } });
    expect(r.stdout + r.stderr).not.toContain('finished without being killed');
    expect(r.status).toBeNull();
  };

  it('is invisible while its undo record remains, and is undone at the next start', async () => {
    const { path, importer, bot, raw } = twoConnections();
    const dir = tempDir();
    // how every entry point builds its services at start (the shipped providers seeded once)
    const start = (): unknown => createRepositories(loadConfig({ DATA_DIR: dir }, dir), kb, open[0]!);
    start();
    await importProvidersCsv(importer, file('o', 0, 10), ctx);
    const counts = (): number[] => TABLES.map((t) => raw(`SELECT COUNT(*) FROM ${t}`));
    const before = counts();
    const visible = bot.count();
    await child(path, file('p', 0, 400), 'before-commit');
    // the batches it committed are in the file, none of them visible
    expect(raw('SELECT COUNT(*) FROM providers')).toBeGreaterThanOrEqual(before[0]! + 150);
    expect(bot.count()).toBe(visible);
    expect(bot.search({ keyword: '事業者p' }).total).toBe(0);
    // the next start undoes them
    start();
    expect(counts()).toEqual(before);
    expect(raw<string>('SELECT state FROM provider_imports ORDER BY id DESC LIMIT 1')).toBe('rolled_back');
    // and the next import runs
    expect((await importProvidersCsv(importer, file('p', 0, 400), ctx)).created).toBe(400);
  });

  it('is finished at the next start when it had committed', async () => {
    const { path, importer, bot, raw } = twoConnections();
    await importProvidersCsv(importer, file('q', 0, 200), ctx);
    await child(path, Buffer.concat([file('q', 0, 200, '（改）'), file('r', 0, 30).subarray(file('r', 0, 0).length)]), 'after-commit');
    // committed: the new ones are visible, the changes part applied
    expect(bot.count()).toBe(230);
    const pending = raw('SELECT COUNT(*) FROM provider_import_changes');
    expect(pending).toBeGreaterThan(0);
    expect(pending).toBeLessThan(200);
    expect(bot.recoverImports()).toEqual({ rolledBack: 0, finished: 1 });
    expect(raw('SELECT COUNT(*) FROM provider_import_changes')).toBe(0);
    expect(bot.all().filter((p) => p.externalId!.startsWith('q-') && p.description.endsWith('（改）'))).toHaveLength(200);
    expect(raw<string>('SELECT state FROM provider_imports ORDER BY id DESC LIMIT 1')).toBe('done');
  });
});
