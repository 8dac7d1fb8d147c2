/**
 * The provider directory in SQLite. Lookups by category and area use plain indexes; keywords use
 * FTS5: the trigram tokenizer for words of three characters or more, and a table of character
 * bigrams for the one- and two-character words trigram cannot match (「送迎」「見守」). Every
 * write of a provider (its row, categories, areas and both text indexes) is one transaction.
 *
 * Lookups show approved providers only, so the two text indexes hold approved providers only (a
 * status change adds or removes the entry): a keyword lookup then needs no status check per match.
 * A lookup finds, counts and orders the ids of one page using indexes only, in one pass, then
 * reads those five rows: a provider's row is wide, and sorting thousands of full rows to show five
 * was what made lookups slow at 100,000 entries (see bench/providers.bench.ts).
 *
 * Providers an import has written but not yet committed are listed in `provider_hidden` (merge.ts):
 * every read here leaves them out, so an import appears whole or not at all.
 */

import type { Db } from '../store/db.js';
import { bigrams, searchForm } from '../store/grams.js';
import { readCoverage, type Coverage } from './coverage.js';
import { lookupSql, visible, type ProviderQuery } from './lookup.js';
import type { Provider, ProviderInput, ProviderStatus } from './model.js';
import { ImportWriter, recoverImports, type WriteOptions } from './merge.js';
import { ProviderStaging } from './staging.js';

export type { ProviderQuery } from './lookup.js';

export interface ProviderPage {
  items: Provider[];
  total: number;
}

interface Row {
  id: number;
  external_id: string | null;
  name: string;
  reading: string | null;
  org_type: string;
  whole_prefecture: number;
  address: string | null;
  description: string;
  services: string;
  phone: string | null;
  url: string | null;
  email: string | null;
  source: string;
  status: ProviderStatus;
  review_note: string | null;
  submitted_platform: string | null;
  submitted_by: string | null;
  created_at: number;
  updated_at: number;
}

export class ProviderStore {
  private readonly insertStmt;
  private readonly updateStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO providers (external_id, name, reading, org_type, whole_prefecture, address, description, services, phone, url, email, source, status, submitted_platform, submitted_by, created_at, updated_at)
       VALUES (@externalId, @name, @reading, @orgType, @wholePrefecture, @address, @description, @services, @phone, @url, @email, @source, @status, @submittedPlatform, @submittedBy, @now, @now)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE providers SET name = @name, reading = @reading, org_type = @orgType, whole_prefecture = @wholePrefecture, address = @address, description = @description,
       services = @services, phone = @phone, url = @url, email = @email, source = @source, status = @status, updated_at = @now WHERE id = @id`,
    );
    // prepared once: an import writes six index rows per provider, 100,000 providers at a time
    this.writes = {
      deleteCategories: db.prepare('DELETE FROM provider_categories WHERE provider_id = ?'),
      deleteAreas: db.prepare('DELETE FROM provider_areas WHERE provider_id = ?'),
      deleteFts: db.prepare('DELETE FROM provider_fts WHERE rowid = ?'),
      deleteGrams: db.prepare('DELETE FROM provider_grams WHERE rowid = ?'),
      insertCategory: db.prepare('INSERT OR IGNORE INTO provider_categories (provider_id, category_id, subcategory_id) VALUES (?, ?, ?)'),
      insertArea: db.prepare('INSERT OR IGNORE INTO provider_areas (provider_id, municipality) VALUES (?, ?)'),
      insertFts: db.prepare('INSERT INTO provider_fts (rowid, name, reading, description, services) VALUES (?, ?, ?, ?, ?)'),
      insertGrams: db.prepare('INSERT INTO provider_grams (rowid, name, body) VALUES (?, ?, ?)'),
      findExternal: db.prepare('SELECT id FROM providers WHERE external_id = ?'),
      // the column, not the parameter, in the text: a JS number binds as REAL ('pf-7.0')
      assignExternal: db.prepare(`UPDATE providers SET external_id = 'pf-' || id || CASE WHEN EXISTS (SELECT 1 FROM providers q WHERE q.external_id = 'pf-' || providers.id) THEN '-' || lower(hex(randomblob(3))) ELSE '' END WHERE id = @id`),
    };
  }

  private readonly writes;

  private writeIndexes(id: number, p: ProviderInput): void {
    const w = this.writes;
    w.deleteCategories.run(id);
    w.deleteAreas.run(id);
    for (const c of p.categories) w.insertCategory.run(id, c.categoryId, c.subcategoryId);
    for (const a of p.areas) w.insertArea.run(id, a);
    this.writeText(id, p, p.status);
  }

  /** The keyword indexes: an entry for an approved provider, none for any other status. */
  private writeText(id: number, p: { name: string; reading?: string | null; description: string; services: string }, status: ProviderStatus): void {
    const w = this.writes;
    w.deleteFts.run(id);
    w.deleteGrams.run(id);
    if (status !== 'approved') return;
    const norm = (s: string | null | undefined): string => searchForm(s ?? '');
    w.insertFts.run(id, norm(p.name), norm(p.reading), norm(p.description), norm(p.services));
    w.insertGrams.run(id, bigrams(`${p.name} ${p.reading ?? ''}`), bigrams(`${p.description} ${p.services}`));
  }

  private params(p: ProviderInput, now: number, submitted?: { platform: string; by: string }): Record<string, unknown> {
    return {
      externalId: p.externalId ?? null,
      name: p.name,
      reading: p.reading ?? null,
      orgType: p.orgType,
      wholePrefecture: p.wholePrefecture ? 1 : 0,
      address: p.address ?? null,
      description: p.description,
      services: p.services,
      phone: p.phone ?? null,
      url: p.url ?? null,
      email: p.email ?? null,
      source: p.source,
      status: p.status,
      submittedPlatform: submitted?.platform ?? null,
      submittedBy: submitted?.by ?? null,
      now,
    };
  }

  /** Inserts a provider, or updates the one with the same external id. Not itself a transaction: see upsertMany. */
  private upsertOne(p: ProviderInput, now: number, submitted?: { platform: string; by: string }): { id: number; created: boolean } {
    const existing = p.externalId ? (this.writes.findExternal.get(p.externalId) as { id: number } | undefined) : undefined;
    if (existing) {
      this.updateStmt.run({ ...this.params(p, now), id: existing.id });
      this.writeIndexes(existing.id, p);
      return { id: existing.id, created: false };
    }
    const id = Number(this.insertStmt.run(this.params(p, now, submitted)).lastInsertRowid);
    // every provider carries a stable external id (a chat registration too), so that an export imports back onto it
    if (!p.externalId) this.writes.assignExternal.run({ id });
    this.writeIndexes(id, p);
    return { id, created: true };
  }

  add(p: ProviderInput, submitted?: { platform: string; by: string }, now = Date.now()): number {
    return this.db.transaction(() => this.upsertOne(p, now, submitted).id)();
  }

  /** Writes many providers in one transaction: all or nothing (small lists: seeds, tests; a CSV import goes through merge.ts). */
  upsertMany(list: ProviderInput[], now = Date.now()): { created: number; updated: number } {
    let created = 0;
    let updated = 0;
    this.db.transaction(() => {
      for (const p of list) {
        if (this.upsertOne(p, now).created) created++;
        else updated++;
      }
    })();
    return { created, updated };
  }

  existsExternalId(externalId: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM providers WHERE external_id = ?').get(externalId));
  }

  get(id: number): Provider | null {
    const row = this.db.prepare(`SELECT * FROM providers WHERE id = ? AND ${visible('providers')}`).get(id) as Row | undefined;
    return row ? this.hydrate([row])[0]! : null;
  }

  setStatus(id: number, status: ProviderStatus, note: string | null, now = Date.now()): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT name, reading, description, services FROM providers WHERE id = ?').get(id) as Pick<Row, 'name' | 'reading' | 'description' | 'services'> | undefined;
      if (!row) return false;
      this.db.prepare('UPDATE providers SET status = ?, review_note = ?, updated_at = ? WHERE id = ?').run(status, note, now, id);
      this.writeText(id, row, status);
      return true;
    })();
  }

  /** Approved providers by municipality and category, and the prefecture-wide ones (coverage.ts). */
  coverage(): Coverage {
    return readCoverage(this.db);
  }

  count(status?: ProviderStatus): number {
    const where = `WHERE ${visible('providers')}${status ? ' AND status = ?' : ''}`;
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM providers ${where}`).get(...(status ? [status] : [])) as { n: number };
    return row.n;
  }

  pending(): Provider[] {
    return [...this.iterate('pending')].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  }

  /** Every provider, in id order (small directories and tests; exports use iterate()). */
  all(): Provider[] {
    return [...this.iterate()];
  }

  /** Runs `read` in one read transaction: what it reads is one consistent snapshot (an export while the bot or the CLI writes). */
  snapshot<T>(read: () => T): T {
    return this.db.transaction(read)();
  }

  /** A staging area for an import on this connection (its temp tables; see staging.ts). Dispose it when done. */
  stage(): ProviderStaging {
    return new ProviderStaging(this.db);
  }

  /** Starts writing a staged import on this connection (merge.ts); ImportBusyError if another one runs. */
  importWriter(options: WriteOptions): ImportWriter {
    return ImportWriter.begin(this.db, options);
  }

  /** Whether an import is being written into this database now (by this process or another), after finishing what ended processes left. */
  importRunning(): boolean {
    recoverImports(this.db);
    return Boolean(this.db.prepare("SELECT 1 FROM provider_imports WHERE state IN ('writing', 'committed') LIMIT 1").get());
  }

  /** Undoes or finishes imports left by a process that ended mid-way (at every start: services.ts). */
  recoverImports(): { rolledBack: number; finished: number } {
    return recoverImports(this.db);
  }

  /**
   * Every provider in id order, read a page at a time (by id, not OFFSET): an export of 100,000
   * providers holds one page in memory, and each page's categories and areas are one range query.
   */
  *iterate(status?: ProviderStatus, pageSize = 500): Generator<Provider> {
    const page = this.db.prepare(`SELECT * FROM providers WHERE id > @after ${status ? 'AND status = @status' : ''} AND ${visible('providers')} ORDER BY id LIMIT @limit`);
    for (let after = 0; ; ) {
      const rows = page.all({ after, limit: pageSize, ...(status ? { status } : {}) }) as Row[];
      if (!rows.length) return;
      yield* this.hydrate(rows);
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * Lookup with paging, best first: providers that name the municipality before those serving the
   * whole prefecture, then those whose name matches the keyword, then in registration order.
   *
   * The most selective index produces the candidate ids (the municipality's area rows, else the
   * keyword's matches, else the category's rows, else every approved provider); the other
   * conditions are index lookups on each candidate. The candidates are a subquery the others only
   * test, so SQLite follows that order whatever its statistics say.
   */
  search(q: ProviderQuery, page = 0, pageSize = 5): ProviderPage {
    const { sql, params } = lookupSql(q);
    const found = this.db.prepare(sql).all({ ...params, limit: pageSize, offset: page * pageSize }) as { id: number; total: number }[];
    // past the last page the window has no row to report the total on: count separately (rare)
    const total = found[0]?.total ?? (page > 0 ? this.search(q, 0, 1).total : 0);
    const ids = found.map((r) => r.id);
    if (!ids.length) return { items: [], total };
    const rows = this.db.prepare(`SELECT * FROM providers WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Row[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return { items: this.hydrate(ids.map((id) => byId.get(id)!)), total };
  }

  /**
   * Rows with their categories and areas. The ids go to SQLite as one JSON array (no placeholder per
   * row: SQLite allows 32,766), and the lists are grouped once by id (a filter per row was quadratic).
   */
  private hydrate(rows: Row[]): Provider[] {
    if (!rows.length) return [];
    const ids = JSON.stringify(rows.map((r) => r.id));
    const cats = this.db.prepare('SELECT provider_id, category_id, subcategory_id FROM provider_categories WHERE provider_id IN (SELECT value FROM json_each(?)) ORDER BY rowid').all(ids) as { provider_id: number; category_id: string; subcategory_id: string }[];
    const areas = this.db.prepare('SELECT provider_id, municipality FROM provider_areas WHERE provider_id IN (SELECT value FROM json_each(?)) ORDER BY rowid').all(ids) as { provider_id: number; municipality: string }[];
    const catsOf = new Map<number, Provider['categories']>();
    for (const c of cats) {
      const list = catsOf.get(c.provider_id) ?? [];
      list.push({ categoryId: c.category_id, subcategoryId: c.subcategory_id });
      catsOf.set(c.provider_id, list);
    }
    const areasOf = new Map<number, string[]>();
    for (const a of areas) {
      const list = areasOf.get(a.provider_id) ?? [];
      list.push(a.municipality);
      areasOf.set(a.provider_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      ...(r.external_id ? { externalId: r.external_id } : {}),
      name: r.name,
      ...(r.reading ? { reading: r.reading } : {}),
      orgType: r.org_type as Provider['orgType'],
      categories: catsOf.get(r.id) ?? [],
      wholePrefecture: r.whole_prefecture === 1,
      areas: areasOf.get(r.id) ?? [],
      ...(r.address ? { address: r.address } : {}),
      description: r.description,
      services: r.services,
      ...(r.phone ? { phone: r.phone } : {}),
      ...(r.url ? { url: r.url } : {}),
      ...(r.email ? { email: r.email } : {}),
      source: r.source,
      status: r.status,
      reviewNote: r.review_note,
      submittedPlatform: r.submitted_platform,
      submittedBy: r.submitted_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}
