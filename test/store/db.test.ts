import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDatabase, openDatabase, schemaVersion } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { ChecklistStore } from '../../src/checklist/repository.js';
import { MunicipalityStore } from '../../src/store/municipalities.js';
import { ProviderStore } from '../../src/providers/repository.js';
import { tempDir } from '../helpers/app.js';

const answers = { q1: { q1a: 'yes' as const, q1b: 'yes' as const, q1c: 'yes' as const }, q3: { options: [] }, q4: { options: ['training'] } };

describe('SQLite store', () => {
  it('runs in WAL mode with a busy timeout and foreign keys', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('migrates an empty database to the latest version', () => {
    const db = openDatabase(join(tempDir(), 'b.sqlite'));
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    for (const t of ['flows', 'answers', 'feedback', 'handoffs', 'roles', 'municipalities', 'checklist_responses', 'providers', 'provider_fts', 'provider_grams']) expect(tables).toContain(t);
    db.close();
  });

  it('migrates from the previous version keeping the data', () => {
    const path = join(tempDir(), 'c.sqlite');
    const old = openDatabase(path, { targetVersion: MIGRATIONS.length - 1 });
    expect(schemaVersion(old)).toBe(MIGRATIONS.length - 1);
    new MunicipalityStore(old).syncList([{ name: '行田市', reading: 'ぎょうだし' }]);
    // the previous schema's own statement (the repository now writes the definition's version too)
    old.prepare('INSERT INTO checklist_responses (municipality_id, version, answers, platform, submitted_by, submitted_at) VALUES (?, 1, ?, ?, ?, ?)').run('行田市', JSON.stringify(answers), 'slack', 'U1', Date.now());
    old.close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(new ChecklistStore(db).latest('行田市')!.answers).toEqual(answers);
    expect(db.prepare('SELECT COUNT(*) AS n FROM providers').get()).toEqual({ n: 0 });
    db.close();
  });

  it('rebuilds the provider keyword indexes when upgrading from version 3, keeping every provider', () => {
    const path = join(tempDir(), 'v3.sqlite');
    const old = openDatabase(path, { targetVersion: 3 });
    // rows as version 3 wrote them: both statuses in both text indexes, bigrams in one column
    const insert = (id: number, name: string, services: string, status: string): void => {
      old.prepare("INSERT INTO providers (id, name, org_type, services, source, status, created_at, updated_at) VALUES (?, ?, '企業', ?, 'test', ?, 0, 0)").run(id, name, services, status);
      old.prepare("INSERT INTO provider_categories VALUES (?, 'transport', 'transport-1')").run(id);
      old.prepare("INSERT INTO provider_areas VALUES (?, '行田市')").run(id);
      old.prepare("INSERT INTO provider_fts (rowid, name, reading, description, services) VALUES (?, ?, '', '', ?)").run(id, name, services);
      old.prepare('INSERT INTO provider_grams (rowid, grams) VALUES (?, ?)').run(id, `${name} ${services}`);
    };
    insert(1, '行田おでかけ便', '通院の送迎', 'approved');
    insert(2, '送迎のまるやま', '買物の送迎', 'approved');
    insert(3, '審査中の送迎会社', '送迎', 'pending');
    old.close();
    const db = openDatabase(path);
    const providers = new ProviderStore(db);
    expect(providers.count()).toBe(3);
    // two-character keyword through the rebuilt bigram index, the name match first, the pending one absent
    expect(providers.search({ keyword: '送迎' }).items.map((p) => p.name)).toEqual(['送迎のまるやま', '行田おでかけ便']);
    expect(providers.search({ keyword: '審査中' }).total).toBe(0);
    expect(providers.search({ categoryId: 'transport', municipality: '行田市' }).total).toBe(2);
    providers.setStatus(3, 'approved', null);
    expect(providers.search({ keyword: '審査中' }).total).toBe(1);
    db.close();
  });

  it('rewrites the provider keyword indexes with kanji variants folded when upgrading from version 6', () => {
    const path = join(tempDir(), 'v6.sqlite');
    const old = openDatabase(path, { targetVersion: 6 });
    // as version 6 wrote it: the name indexed as written (髙)
    old.prepare("INSERT INTO providers (id, name, org_type, services, source, status, created_at, updated_at) VALUES (1, '髙橋商店', '企業', '齋藤さんの配達', 'test', 'approved', 0, 0)").run();
    old.prepare("INSERT INTO provider_fts (rowid, name, reading, description, services) VALUES (1, '髙橋商店', '', '', '齋藤さんの配達')").run();
    old.prepare("INSERT INTO provider_grams (rowid, name, body) VALUES (1, '髙橋 橋商 商店', '齋藤 藤さ さん んの の配 配達')").run();
    old.close();
    const db = openDatabase(path);
    const providers = new ProviderStore(db);
    for (const k of ['高橋', '髙橋', '高橋商店', '斉藤', '齊藤', '斎藤']) expect(providers.search({ keyword: k }).items.map((p) => p.name), k).toEqual(['髙橋商店']);
    // what users see is as written
    expect(providers.get(1)!.services).toBe('齋藤さんの配達');
    db.close();
  });

  it('takes a consistent online backup while the database is being written', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'live.sqlite'));
    new MunicipalityStore(db).syncList([{ name: '行田市', reading: null }]);
    const store = new ChecklistStore(db);
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        store.submit('行田市', answers, 'slack', `U${n++}`);
        await new Promise((r) => setImmediate(r));
      }
      return n;
    })();
    await new Promise((r) => setTimeout(r, 50));
    await backupDatabase(db, join(dir, 'copy.sqlite'));
    writing = false;
    const written = await writer;
    expect(existsSync(join(dir, 'copy.sqlite'))).toBe(true);
    const copy = new Database(join(dir, 'copy.sqlite'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const versions = (copy.prepare('SELECT version FROM checklist_responses ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    // a prefix of what was written, without gaps
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.length).toBeLessThanOrEqual(written);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    copy.close();
    db.close();
  });
});
