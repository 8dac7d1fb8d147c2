/**
 * How many approved providers serve each municipality in each of the eight categories, read from
 * the provider directory's own tables. A provider serving the whole prefecture counts once per
 * category, for every municipality; pending, rejected and withdrawn entries count nowhere, nor do
 * those of an import not yet committed.
 *
 * The counting is done here rather than in one grouped SQL query: a GROUP BY over the join of
 * areas and categories with COUNT(DISTINCT) took over a second at 100,000 providers
 * (bench/gaps.bench.ts), most of it sorting. Instead each table is read once through an index,
 * as integers where it can: the categories of every provider become a bit mask, the approved
 * ones a flag, and the area index is walked municipality by municipality.
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

/** Category masks are 32-bit: the taxonomy has eight categories. */
const MAX_CATEGORIES = 32;

/** Counts the approved providers of every municipality and category (see the file header). */
export function readCoverage(db: Db): Coverage {
  const maxId = (db.prepare('SELECT MAX(id) FROM providers').pluck().get() as number | null) ?? 0;
  const categories: string[] = (db.prepare('SELECT DISTINCT category_id FROM provider_categories').pluck().all() as string[]).sort();
  if (categories.length > MAX_CATEGORIES) throw new Error(`too many provider categories for the gap view: ${categories.length}`);
  // which categories each provider offers (several sub-categories of one category count once)
  const mask = new Uint32Array(maxId + 1);
  const byCategory = db.prepare('SELECT provider_id FROM provider_categories INDEXED BY provider_categories_cat WHERE category_id = ?').pluck();
  categories.forEach((cat, bit) => {
    for (const id of byCategory.all(cat) as number[]) mask[id]! |= 1 << bit;
  });
  // 1: approved, serving named areas; 2: approved, serving the whole prefecture; 0: not approved.
  // Area rows only name existing providers (foreign key), and most are approved: mark the few others.
  const served = new Uint8Array(maxId + 1).fill(1);
  for (const id of db.prepare("SELECT id FROM providers INDEXED BY providers_status WHERE status <> 'approved'").pluck().all() as number[]) served[id] = 0;
  // providers of an import still being written count nowhere yet (merge.ts)
  for (const id of db.prepare('SELECT id FROM provider_hidden').pluck().all() as number[]) served[id] = 0;
  const wideCounts = new Array<number>(categories.length).fill(0);
  for (const id of db.prepare("SELECT id FROM providers WHERE whole_prefecture = 1 AND status = 'approved'").pluck().all() as number[]) {
    if (served[id] === 0) continue;
    served[id] = 2;
    for (let bit = 0; bit < categories.length; bit++) if (mask[id]! & (1 << bit)) wideCounts[bit]!++;
  }
  const local = new Map<string, Map<string, number>>();
  const areaIds = db.prepare('SELECT provider_id FROM provider_areas INDEXED BY provider_areas_muni WHERE municipality = ?').pluck();
  for (const m of db.prepare('SELECT DISTINCT municipality FROM provider_areas').pluck().all() as string[]) {
    const counts = new Array<number>(categories.length).fill(0);
    for (const id of areaIds.all(m) as number[]) {
      if (served[id] !== 1) continue;
      const bits = mask[id]!;
      for (let bit = 0; bit < categories.length; bit++) if (bits & (1 << bit)) counts[bit]!++;
    }
    local.set(m, new Map(categories.map((c, i) => [c, counts[i]!] as const).filter(([, n]) => n > 0)));
  }
  return { local, wide: new Map(categories.map((c, i) => [c, wideCounts[i]!] as const).filter(([, n]) => n > 0)) };
}
