/**
 * The provider directory in SQLite. Lookups by category and area use plain indexes; keywords use
 * FTS5: the trigram tokenizer for words of three characters or more, and a table of character
 * bigrams for the one- and two-character words trigram cannot match (「送迎」「見守」). Every
 * write of a provider (its row, categories, areas and both text indexes) is one transaction.
 */
import type { Db } from '../store/db.js';
import { normalizeForMatch } from '../knowledge/normalize.js';
import type { Provider, ProviderInput, ProviderStatus } from './model.js';

export interface ProviderQuery {
  categoryId?: string;
  subcategoryId?: string;
  /** Municipality name; providers serving the whole prefecture match too. */
  municipality?: string;
  keyword?: string;
  status?: ProviderStatus;
}

export interface ProviderPage {
  items: Provider[];
  total: number;
}

/** Space-separated character bigrams of a text (the bigram index's content and query form). */
export function bigrams(text: string): string {
  const out: string[] = [];
  for (const run of normalizeForMatch(text).match(/[^\s\p{P}\p{S}]+/gu) ?? []) {
    const chars = [...run];
    if (chars.length === 1) out.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out.join(' ');
}

/** A term quoted for FTS5 MATCH: user text is never FTS syntax. */
const quote = (term: string): string => `"${term.replace(/"/g, '""')}"`;

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
  }

  private writeIndexes(id: number, p: ProviderInput): void {
    this.db.prepare('DELETE FROM provider_categories WHERE provider_id = ?').run(id);
    this.db.prepare('DELETE FROM provider_areas WHERE provider_id = ?').run(id);
    this.db.prepare('DELETE FROM provider_fts WHERE rowid = ?').run(id);
    this.db.prepare('DELETE FROM provider_grams WHERE rowid = ?').run(id);
    const cat = this.db.prepare('INSERT OR IGNORE INTO provider_categories (provider_id, category_id, subcategory_id) VALUES (?, ?, ?)');
    for (const c of p.categories) cat.run(id, c.categoryId, c.subcategoryId);
    const area = this.db.prepare('INSERT OR IGNORE INTO provider_areas (provider_id, municipality) VALUES (?, ?)');
    for (const a of p.areas) area.run(id, a);
    const norm = (s: string | undefined): string => normalizeForMatch(s ?? '');
    this.db.prepare('INSERT INTO provider_fts (rowid, name, reading, description, services) VALUES (?, ?, ?, ?, ?)').run(id, norm(p.name), norm(p.reading), norm(p.description), norm(p.services));
    this.db.prepare('INSERT INTO provider_grams (rowid, grams) VALUES (?, ?)').run(id, bigrams([p.name, p.reading ?? '', p.description, p.services].join(' ')));
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
    const existing = p.externalId ? (this.db.prepare('SELECT id FROM providers WHERE external_id = ?').get(p.externalId) as { id: number } | undefined) : undefined;
    if (existing) {
      this.updateStmt.run({ ...this.params(p, now), id: existing.id });
      this.writeIndexes(existing.id, p);
      return { id: existing.id, created: false };
    }
    const id = Number(this.insertStmt.run(this.params(p, now, submitted)).lastInsertRowid);
    this.writeIndexes(id, p);
    return { id, created: true };
  }

  add(p: ProviderInput, submitted?: { platform: string; by: string }, now = Date.now()): number {
    return this.db.transaction(() => this.upsertOne(p, now, submitted).id)();
  }

  /** Writes many providers in one transaction: all or nothing. */
  upsertMany(list: ProviderInput[], now = Date.now(), onProgress?: (done: number) => void): { created: number; updated: number } {
    return this.db.transaction(() => {
      let created = 0;
      let updated = 0;
      list.forEach((p, i) => {
        if (this.upsertOne(p, now).created) created++;
        else updated++;
        if (onProgress && (i + 1) % 5000 === 0) onProgress(i + 1);
      });
      return { created, updated };
    })();
  }

  existsExternalId(externalId: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM providers WHERE external_id = ?').get(externalId));
  }

  get(id: number): Provider | null {
    const row = this.db.prepare('SELECT * FROM providers WHERE id = ?').get(id) as Row | undefined;
    return row ? this.hydrate([row])[0]! : null;
  }

  setStatus(id: number, status: ProviderStatus, note: string | null, now = Date.now()): boolean {
    return this.db.prepare('UPDATE providers SET status = ?, review_note = ?, updated_at = ? WHERE id = ?').run(status, note, now, id).changes === 1;
  }

  count(status?: ProviderStatus): number {
    const row = (status ? this.db.prepare('SELECT COUNT(*) AS n FROM providers WHERE status = ?').get(status) : this.db.prepare('SELECT COUNT(*) AS n FROM providers').get()) as { n: number };
    return row.n;
  }

  pending(): Provider[] {
    return this.hydrate(this.db.prepare("SELECT * FROM providers WHERE status = 'pending' ORDER BY created_at").all() as Row[]);
  }

  /** Every provider (for export), in id order. */
  all(): Provider[] {
    return this.hydrate(this.db.prepare('SELECT * FROM providers ORDER BY id').all() as Row[]);
  }

  /** Lookup with paging, best first. */
  search(q: ProviderQuery, page = 0, pageSize = 5): ProviderPage {
    const where: string[] = ['p.status = @status'];
    const params: Record<string, unknown> = { status: q.status ?? 'approved' };
    if (q.subcategoryId) {
      where.push('EXISTS (SELECT 1 FROM provider_categories c WHERE c.provider_id = p.id AND c.subcategory_id = @sub)');
      params.sub = q.subcategoryId;
    } else if (q.categoryId) {
      where.push('EXISTS (SELECT 1 FROM provider_categories c WHERE c.provider_id = p.id AND c.category_id = @cat)');
      params.cat = q.categoryId;
    }
    let areaRank = 'NULL';
    if (q.municipality) {
      where.push('(p.whole_prefecture = 1 OR EXISTS (SELECT 1 FROM provider_areas a WHERE a.provider_id = p.id AND a.municipality = @muni))');
      params.muni = q.municipality;
      // providers that name the municipality come before those serving the whole prefecture
      areaRank = 'CASE WHEN EXISTS (SELECT 1 FROM provider_areas a WHERE a.provider_id = p.id AND a.municipality = @muni) THEN 0 ELSE 1 END';
    }
    let from = 'providers p';
    let rank = 'NULL';
    const terms = normalizeForMatch(q.keyword ?? '').split(/\s+/).filter(Boolean).slice(0, 8);
    const long = terms.filter((t) => [...t].length >= 3);
    const short = terms.filter((t) => [...t].length === 2);
    const single = terms.filter((t) => [...t].length === 1);
    if (long.length) {
      from += ' JOIN provider_fts f ON f.rowid = p.id';
      where.push('provider_fts MATCH @fts');
      params.fts = long.map(quote).join(' AND ');
      rank = 'bm25(provider_fts, 10.0, 5.0, 2.0, 3.0)';
    }
    short.forEach((t, i) => {
      where.push(`p.id IN (SELECT rowid FROM provider_grams WHERE provider_grams MATCH @g${i})`);
      params[`g${i}`] = quote(t);
    });
    single.forEach((t, i) => {
      // one character: no index can help, but such searches are rare and still bounded by the filters
      where.push(`(p.name LIKE @s${i} ESCAPE '\\' OR p.description LIKE @s${i} ESCAPE '\\' OR p.services LIKE @s${i} ESCAPE '\\')`);
      params[`s${i}`] = `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    });
    const whereSql = where.join(' AND ');
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM ${from} WHERE ${whereSql}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT p.* FROM ${from} WHERE ${whereSql} ORDER BY ${areaRank}, ${rank}, COALESCE(p.reading, p.name), p.id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: pageSize, offset: page * pageSize }) as Row[];
    return { items: this.hydrate(rows), total };
  }

  private hydrate(rows: Row[]): Provider[] {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const marks = ids.map(() => '?').join(',');
    const cats = this.db.prepare(`SELECT provider_id, category_id, subcategory_id FROM provider_categories WHERE provider_id IN (${marks}) ORDER BY rowid`).all(...ids) as { provider_id: number; category_id: string; subcategory_id: string }[];
    const areas = this.db.prepare(`SELECT provider_id, municipality FROM provider_areas WHERE provider_id IN (${marks}) ORDER BY rowid`).all(...ids) as { provider_id: number; municipality: string }[];
    return rows.map((r) => ({
      id: r.id,
      ...(r.external_id ? { externalId: r.external_id } : {}),
      name: r.name,
      ...(r.reading ? { reading: r.reading } : {}),
      orgType: r.org_type as Provider['orgType'],
      categories: cats.filter((c) => c.provider_id === r.id).map((c) => ({ categoryId: c.category_id, subcategoryId: c.subcategory_id })),
      wholePrefecture: r.whole_prefecture === 1,
      areas: areas.filter((a) => a.provider_id === r.id).map((a) => a.municipality),
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
