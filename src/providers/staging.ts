/**
 * The provider import's staging area and its merge. An import first parses and validates the file
 * into TEMP tables (SQLite's per-connection temp database: writing there takes no lock on the main
 * database, so the bot keeps answering and logging meanwhile), then merges the staged rows into the
 * directory in one transaction of set-based statements (UPDATE … FROM, INSERT … SELECT): the write
 * lock is held for the merge only, about a second per 100,000 rows instead of the whole import
 * (bench/providers.bench.ts), and the import stays all-or-nothing.
 */
import type { Db } from '../store/db.js';
import { normalizeForMatch } from '../knowledge/normalize.js';
import { bigrams } from '../store/grams.js';
import type { ProviderInput } from './model.js';
import { PROVIDERS } from '../messages/providers.js';

/** Placeholder external id of a staged row without one, replaced by `pf-<id>` in the merge (a control character: no CSV cell keeps one). */
const PENDING_ID = "char(1) || 'staged-' || s.line";

const BATCH = 500;

/** Staged rows of one import, on one connection. Call dispose() when done. */
export class ProviderStaging {
  private readonly insertRow;
  private readonly insertCategory;
  private readonly insertArea;
  private buffered: { line: number; p: ProviderInput }[] = [];
  /** Rows staged so far. */
  count = 0;

  constructor(private readonly db: Db) {
    if (ACTIVE.has(db)) throw new ImportBusyError();
    ACTIVE.add(db);
    db.exec(`
      DROP TABLE IF EXISTS temp.provider_staging;
      DROP TABLE IF EXISTS temp.provider_staging_categories;
      DROP TABLE IF EXISTS temp.provider_staging_areas;
      DROP TABLE IF EXISTS temp.provider_staging_ids;
      DROP TABLE IF EXISTS temp.provider_staging_match;
      CREATE TEMP TABLE provider_staging (
        line INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, reading TEXT, org_type TEXT NOT NULL, whole_prefecture INTEGER NOT NULL,
        address TEXT, description TEXT NOT NULL, services TEXT NOT NULL, phone TEXT, url TEXT, email TEXT, source TEXT NOT NULL, status TEXT NOT NULL,
        fts_name TEXT, fts_reading TEXT, fts_description TEXT, fts_services TEXT, grams_name TEXT, grams_body TEXT
      );
      CREATE TEMP TABLE provider_staging_categories (line INTEGER NOT NULL, category_id TEXT NOT NULL, subcategory_id TEXT NOT NULL);
      CREATE TEMP TABLE provider_staging_areas (line INTEGER NOT NULL, municipality TEXT NOT NULL);
      CREATE INDEX temp.provider_staging_categories_line ON provider_staging_categories(line);
      CREATE INDEX temp.provider_staging_areas_line ON provider_staging_areas(line);
    `);
    this.insertRow = db.prepare(`INSERT INTO temp.provider_staging VALUES (@line, @externalId, @name, @reading, @orgType, @whole, @address, @description, @services, @phone, @url, @email, @source, @status,
      @ftsName, @ftsReading, @ftsDescription, @ftsServices, @gramsName, @gramsBody)`);
    this.insertCategory = db.prepare('INSERT INTO temp.provider_staging_categories VALUES (?, ?, ?)');
    this.insertArea = db.prepare('INSERT INTO temp.provider_staging_areas VALUES (?, ?)');
  }

  /** Stages one validated row (written in batches; the keyword index text is computed here, not in the merge). */
  add(line: number, p: ProviderInput): void {
    this.buffered.push({ line, p });
    this.count++;
    if (this.buffered.length >= BATCH) this.flush();
  }

  private flush(): void {
    const rows = this.buffered;
    this.buffered = [];
    if (!rows.length) return;
    const norm = (s: string | null | undefined): string => normalizeForMatch(s ?? '');
    this.db.transaction(() => {
      for (const { line, p } of rows) {
        const approved = p.status === 'approved';
        this.insertRow.run({
          line, externalId: p.externalId ?? null, name: p.name, reading: p.reading ?? null, orgType: p.orgType, whole: p.wholePrefecture ? 1 : 0,
          address: p.address ?? null, description: p.description, services: p.services, phone: p.phone ?? null, url: p.url ?? null, email: p.email ?? null,
          source: p.source, status: p.status,
          ftsName: approved ? norm(p.name) : null, ftsReading: approved ? norm(p.reading) : null, ftsDescription: approved ? norm(p.description) : null, ftsServices: approved ? norm(p.services) : null,
          gramsName: approved ? bigrams(`${p.name} ${p.reading ?? ''}`) : null, gramsBody: approved ? bigrams(`${p.description} ${p.services}`) : null,
        });
        for (const c of p.categories) this.insertCategory.run(line, c.categoryId, c.subcategoryId);
        for (const a of p.areas) this.insertArea.run(line, a);
      }
    })();
  }

  /**
   * Matches the staged rows to existing providers by external id, and marks the ones whose content
   * differs (any column, or their categories or areas in order). Reads only.
   */
  private match(): void {
    const list = (table: string, column: string, key: string, value: string): string =>
      `(SELECT group_concat(${column}, char(31)) FROM (SELECT ${column} FROM ${table} WHERE ${key} = ${value} ORDER BY rowid))`;
    this.db.exec(`
      DROP TABLE IF EXISTS temp.provider_staging_match;
      CREATE TEMP TABLE provider_staging_match AS
        SELECT s.line AS line, p.id AS id,
          (p.name IS NOT s.name OR p.reading IS NOT s.reading OR p.org_type IS NOT s.org_type OR p.whole_prefecture IS NOT s.whole_prefecture
            OR p.address IS NOT s.address OR p.description IS NOT s.description OR p.services IS NOT s.services OR p.phone IS NOT s.phone
            OR p.url IS NOT s.url OR p.email IS NOT s.email OR p.source IS NOT s.source OR p.status IS NOT s.status
            OR ${list('main.provider_categories', 'subcategory_id', 'provider_id', 'p.id')} IS NOT ${list('temp.provider_staging_categories', 'subcategory_id', 'line', 's.line')}
            OR ${list('main.provider_areas', 'municipality', 'provider_id', 'p.id')} IS NOT ${list('temp.provider_staging_areas', 'municipality', 'line', 's.line')}) AS changed
        FROM temp.provider_staging s JOIN main.providers p ON p.external_id = s.external_id;
      CREATE INDEX temp.provider_staging_match_line ON provider_staging_match(line);
    `);
  }

  /** The directory's state when the match was made: any write to a provider changes it (count, last id, update times). */
  private matchedAt: string | null = null;

  private fingerprint(): string {
    return JSON.stringify(this.db.prepare('SELECT COUNT(*) AS n, MAX(id) AS last, TOTAL(updated_at) AS t FROM main.providers').get());
  }

  /** Matches the staged rows now (before the merge, without the write lock: it reads only). */
  prepare(): void {
    this.flush();
    this.matchedAt = this.fingerprint();
    this.match();
  }

  /** How many staged rows would create a provider, update one, or leave one as it is (reads only). */
  counts(): { created: number; updated: number; unchanged: number } {
    if (this.matchedAt === null || this.buffered.length) this.prepare();
    const m = this.db.prepare('SELECT COUNT(*) AS matched, COALESCE(SUM(changed), 0) AS changed FROM temp.provider_staging_match').get() as { matched: number; changed: number };
    return { created: this.count - m.matched, updated: m.changed, unchanged: m.matched - m.changed };
  }

  /**
   * Merges the staged rows into the directory in one transaction: updates the changed providers by
   * external id, inserts the new ones (a row without an id gets `pf-<id>`), replaces their
   * categories, areas and keyword index entries; rows equal to what is stored are not touched (an
   * export imported back writes nothing). Returns the time the write lock was held, in ms.
   */
  merge(now: number): { created: number; updated: number; unchanged: number; lockMs: number } {
    if (this.matchedAt === null || this.buffered.length) this.prepare();
    const started = performance.now();
    const db = this.db;
    let counts = { created: 0, updated: 0, unchanged: 0 };
    db.transaction(() => {
      // matched again under the lock only if a provider was written since (matching 100,000 rows takes seconds)
      if (this.fingerprint() !== this.matchedAt) this.prepare();
      counts = this.counts();
      db.prepare(`UPDATE main.providers SET name = s.name, reading = s.reading, org_type = s.org_type, whole_prefecture = s.whole_prefecture, address = s.address,
        description = s.description, services = s.services, phone = s.phone, url = s.url, email = s.email, source = s.source, status = s.status, updated_at = @now
        FROM temp.provider_staging s JOIN temp.provider_staging_match m ON m.line = s.line WHERE providers.id = m.id AND m.changed`).run({ now });
      db.prepare(`INSERT INTO main.providers (external_id, name, reading, org_type, whole_prefecture, address, description, services, phone, url, email, source, status, created_at, updated_at)
        SELECT COALESCE(s.external_id, ${PENDING_ID}), s.name, s.reading, s.org_type, s.whole_prefecture, s.address, s.description, s.services, s.phone, s.url, s.email, s.source, s.status, @now, @now
        FROM temp.provider_staging s WHERE s.line NOT IN (SELECT line FROM temp.provider_staging_match) ORDER BY s.line`).run({ now });
      db.exec(`CREATE TEMP TABLE provider_staging_ids AS
        SELECT line, id FROM temp.provider_staging_match WHERE changed
        UNION ALL
        SELECT s.line, p.id FROM temp.provider_staging s JOIN main.providers p ON p.external_id = COALESCE(s.external_id, ${PENDING_ID})
          WHERE s.line NOT IN (SELECT line FROM temp.provider_staging_match)`);
      db.exec('CREATE INDEX temp.provider_staging_ids_line ON provider_staging_ids(line)');
      // rows without an external id get a stable one, so that their export imports back onto them
      db.exec(`UPDATE main.providers SET external_id = 'pf-' || id || CASE WHEN EXISTS (SELECT 1 FROM main.providers q WHERE q.external_id = 'pf-' || providers.id) THEN '-' || lower(hex(randomblob(3))) ELSE '' END
        WHERE id IN (SELECT i.id FROM temp.provider_staging_ids i JOIN temp.provider_staging s USING (line) WHERE s.external_id IS NULL)`);
      for (const sql of [
        'DELETE FROM main.provider_categories WHERE provider_id IN (SELECT id FROM temp.provider_staging_ids)',
        'DELETE FROM main.provider_areas WHERE provider_id IN (SELECT id FROM temp.provider_staging_ids)',
        'DELETE FROM main.provider_fts WHERE rowid IN (SELECT id FROM temp.provider_staging_ids)',
        'DELETE FROM main.provider_grams WHERE rowid IN (SELECT id FROM temp.provider_staging_ids)',
        `INSERT OR IGNORE INTO main.provider_categories (provider_id, category_id, subcategory_id)
          SELECT i.id, c.category_id, c.subcategory_id FROM temp.provider_staging_categories c JOIN temp.provider_staging_ids i USING (line) ORDER BY c.rowid`,
        `INSERT OR IGNORE INTO main.provider_areas (provider_id, municipality)
          SELECT i.id, a.municipality FROM temp.provider_staging_areas a JOIN temp.provider_staging_ids i USING (line) ORDER BY a.rowid`,
        `INSERT INTO main.provider_fts (rowid, name, reading, description, services)
          SELECT i.id, s.fts_name, s.fts_reading, s.fts_description, s.fts_services FROM temp.provider_staging s JOIN temp.provider_staging_ids i USING (line) WHERE s.status = 'approved'`,
        `INSERT INTO main.provider_grams (rowid, name, body)
          SELECT i.id, s.grams_name, s.grams_body FROM temp.provider_staging s JOIN temp.provider_staging_ids i USING (line) WHERE s.status = 'approved'`,
      ]) {
        db.exec(sql);
      }
    }).immediate();
    return { ...counts, lockMs: performance.now() - started };
  }

  /** Drops the staged rows (always call, whatever happened). */
  dispose(): void {
    this.buffered = [];
    try {
      this.db.exec(`
        DROP TABLE IF EXISTS temp.provider_staging;
        DROP TABLE IF EXISTS temp.provider_staging_categories;
        DROP TABLE IF EXISTS temp.provider_staging_areas;
        DROP TABLE IF EXISTS temp.provider_staging_ids;
        DROP TABLE IF EXISTS temp.provider_staging_match;
      `);
    } finally {
      ACTIVE.delete(this.db);
    }
  }
}

/** Connections with an import in progress: one at a time per connection (its temp tables are shared). */
const ACTIVE = new WeakSet<Db>();

/** Another import is still running on this connection. */
export class ImportBusyError extends Error {
  readonly code = 'IMPORT_BUSY';
  readonly userMessage = PROVIDERS.importBusy;
  constructor() {
    super('provider import already running on this connection');
    this.name = 'ImportBusyError';
  }
}
