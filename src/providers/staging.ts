/**
 * The provider import's staging area. An import first parses and validates the file into TEMP
 * tables (SQLite's per-connection temp database: writing there takes no lock on the main database,
 * so the bot keeps answering and logging meanwhile) and matches the staged rows to the stored
 * providers by external id, reading only. merge.ts then writes them into the directory in short
 * transactions, invisible until the import commits.
 */
import type { Db } from '../store/db.js';
import { bigrams, searchForm } from '../store/grams.js';
import type { ProviderInput } from './model.js';
import { PROVIDERS } from '../messages/providers.js';

const BATCH = 500;

/** Staged rows of one import, on one connection. Call dispose() when done. */
/** The import's temporary tables, dropped before staging and when done. */
const DROP_STAGING = ['provider_staging', 'provider_staging_categories', 'provider_staging_areas', 'provider_staging_match', 'provider_staging_new', 'provider_staging_changed'].map((t) => `DROP TABLE IF EXISTS temp.${t};`).join('\n');

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
      ${DROP_STAGING}
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
    // the keyword indexes' form, as ProviderStore writes it (kanji variants folded)
    const norm = (s: string | null | undefined): string => searchForm(s ?? '');
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
        FROM temp.provider_staging s JOIN main.providers p ON p.external_id = s.external_id
          -- not a provider of an import still being written (merge.ts): it is not in the directory yet
          AND NOT EXISTS (SELECT 1 FROM main.provider_hidden h WHERE h.id = p.id);
      CREATE INDEX temp.provider_staging_match_line ON provider_staging_match(line);
    `);
  }

  private matched = false;

  /**
   * Matches the staged rows now, reading only (no write lock): which are new, which change a stored
   * provider, which equal one. The merge (merge.ts) writes from the two ordered lists made here.
   */
  prepare(): void {
    this.flush();
    this.match();
    this.db.exec(`
      DROP TABLE IF EXISTS temp.provider_staging_new;
      DROP TABLE IF EXISTS temp.provider_staging_changed;
      CREATE TEMP TABLE provider_staging_new (seq INTEGER PRIMARY KEY, line INTEGER NOT NULL);
      CREATE TEMP TABLE provider_staging_changed (seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, id INTEGER NOT NULL);
      INSERT INTO temp.provider_staging_new (line) SELECT line FROM temp.provider_staging WHERE line NOT IN (SELECT line FROM temp.provider_staging_match) ORDER BY line;
      INSERT INTO temp.provider_staging_changed (line, id) SELECT line, id FROM temp.provider_staging_match WHERE changed ORDER BY line;
    `);
    this.matched = true;
  }

  /** How many staged rows would create a provider, update one, or leave one as it is (reads only). */
  counts(): { created: number; updated: number; unchanged: number } {
    if (!this.matched || this.buffered.length) this.prepare();
    const m = this.db.prepare('SELECT COUNT(*) AS matched, COALESCE(SUM(changed), 0) AS changed FROM temp.provider_staging_match').get() as { matched: number; changed: number };
    return { created: this.count - m.matched, updated: m.changed, unchanged: m.matched - m.changed };
  }

  /** Drops the staged rows (always call, whatever happened). */
  dispose(): void {
    this.buffered = [];
    try {
      this.db.exec(DROP_STAGING);
    } finally {
      ACTIVE.delete(this.db);
    }
  }
}

/** Connections with an import in progress: one at a time per connection (its temp tables are shared). */
const ACTIVE = new WeakSet<Db>();

/** Another import is still running, on this connection or on the same database (merge.ts). */
export class ImportBusyError extends Error {
  readonly code = 'IMPORT_BUSY';
  readonly userMessage = PROVIDERS.importBusy;
  constructor() {
    super('provider import already running');
    this.name = 'ImportBusyError';
  }
}
