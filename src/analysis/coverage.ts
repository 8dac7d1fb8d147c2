/**
 * How many approved providers serve each municipality in each of the eight categories, read from
 * the provider directory's own tables in two grouped queries. A provider serving the whole
 * prefecture counts once per category, for every municipality; pending, rejected and withdrawn
 * entries count nowhere.
 *
 * The queries touch indexes only (status and area index, the category table): a provider's row is
 * wide, and reading 100,000 of them was what made the first version slow (bench/gaps.bench.ts).
 */
import type { Db } from '../store/db.js';

/** Provider counts: local ones by municipality name and category, prefecture-wide ones by category. */
export interface Coverage {
  /** municipality name → category id → approved providers naming that municipality (not prefecture-wide ones). */
  local: Map<string, Map<string, number>>;
  /** category id → approved providers serving the whole prefecture. */
  wide: Map<string, number>;
}

/** Providers serving a municipality in a category: its own plus the prefecture-wide ones. */
export function served(c: Coverage, municipality: string, categoryId: string): number {
  return (c.local.get(municipality)?.get(categoryId) ?? 0) + (c.wide.get(categoryId) ?? 0);
}

export function readCoverage(db: Db): Coverage {
  // approved and not prefecture-wide, from the status index and the small partial index on
  // whole_prefecture (a provider that names areas and also the whole prefecture counts as wide)
  const localRows = db
    .prepare(
      `WITH ok AS MATERIALIZED (
         SELECT id FROM providers INDEXED BY providers_status WHERE status = 'approved'
         EXCEPT SELECT id FROM providers WHERE whole_prefecture = 1
       )
       SELECT a.municipality AS m, c.category_id AS cat, COUNT(DISTINCT a.provider_id) AS n
       FROM provider_areas a
       JOIN ok ON ok.id = a.provider_id
       JOIN provider_categories c ON c.provider_id = a.provider_id
       GROUP BY a.municipality, c.category_id`,
    )
    .all() as { m: string; cat: string; n: number }[];
  const wideRows = db
    .prepare(
      `SELECT c.category_id AS cat, COUNT(DISTINCT c.provider_id) AS n
       FROM providers p JOIN provider_categories c ON c.provider_id = p.id
       WHERE p.whole_prefecture = 1 AND p.status = 'approved'
       GROUP BY c.category_id`,
    )
    .all() as { cat: string; n: number }[];
  const local = new Map<string, Map<string, number>>();
  for (const r of localRows) {
    let m = local.get(r.m);
    if (!m) local.set(r.m, (m = new Map()));
    m.set(r.cat, r.n);
  }
  return { local, wide: new Map(wideRows.map((r) => [r.cat, r.n])) };
}
