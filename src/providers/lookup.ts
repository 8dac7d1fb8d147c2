/**
 * The SQL of a directory lookup, built from the query: which index produces the candidate ids, the
 * other conditions as index lookups on each candidate, and the order (local providers first, name
 * matches first, then registration order). Kept apart from the repository so that the plan can be
 * read, and tested, as one piece (bench/providers.bench.ts measures it at 100,000 entries).
 */

import { searchForm } from '../store/grams.js';

/** A word that names a category, besides the query's own category: in that category, or said by the text. */
export interface CategoryWord {
  word: string;
  categoryId: string;
  subcategoryId?: string;
}

/**
 * A condition on `<alias>.id`: not written by an import still in progress (merge.ts). Ids below
 * the first hidden one need no look-up (SQLite evaluates the MIN once per statement); with no
 * import running that is every id, so a lookup pays one comparison per candidate.
 */
export const visible = (alias: string): string =>
  `(${alias}.id < (SELECT COALESCE(MIN(id), 9223372036854775807) FROM provider_hidden) OR NOT EXISTS (SELECT 1 FROM provider_hidden h WHERE h.id = ${alias}.id))`;

export interface ProviderQuery {
  categoryId?: string;
  subcategoryId?: string;
  /** Municipality name; providers serving the whole prefecture match too. */
  municipality?: string;
  keyword?: string;
  /** Further words naming a category (「移動販売 配送」: 配送): each must hold, by category or by text. */
  categoryWords?: CategoryWord[];
  /** The words as typed, when there are several: providers whose text says them as one phrase come first. */
  phrase?: string;
}

/** A term quoted for FTS5 MATCH: user text is never FTS syntax. */
const quote = (term: string): string => `"${term.replace(/"/g, '""')}"`;

/** The ids whose text says one word: trigram for three characters and more, bigrams for two, a scan of the candidates for one. */
function textSet(word: string, name: string, params: Record<string, unknown>): string {
  const n = [...word].length;
  if (n >= 3) {
    params[name] = quote(word);
    return `SELECT rowid AS id FROM provider_fts WHERE provider_fts MATCH @${name}`;
  }
  params[name] = n === 2 ? quote(word) : `${quote(word)}*`;
  return `SELECT rowid AS id FROM provider_grams WHERE provider_grams MATCH @${name}`;
}

/** The statement (with `@limit` and `@offset` left to the caller) and its named parameters. */
export function lookupSql(q: ProviderQuery): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const terms = searchForm(q.keyword ?? '').split(/\s+/).filter(Boolean).slice(0, 8);
  const long = terms.filter((t) => [...t].length >= 3);
  const short = terms.filter((t) => [...t].length === 2);
  const single = terms.filter((t) => [...t].length === 1);
  const keywordSets: string[] = [];
  const nameSets: string[] = [];
  if (long.length) {
    keywordSets.push('SELECT rowid AS id FROM provider_fts WHERE provider_fts MATCH @fts');
    params.fts = long.map(quote).join(' AND ');
    nameSets.push('SELECT rowid FROM provider_fts WHERE provider_fts MATCH @ftsName');
    params.ftsName = `{name reading} : (${long.map(quote).join(' OR ')})`;
  }
  short.forEach((t, i) => {
    keywordSets.push(`SELECT rowid AS id FROM provider_grams WHERE provider_grams MATCH @g${i}`);
    params[`g${i}`] = quote(t);
  });
  if (short.length) {
    nameSets.push('SELECT rowid FROM provider_grams WHERE provider_grams MATCH @gramsName');
    params.gramsName = `name : (${short.map(quote).join(' OR ')})`;
  }
  const category = q.subcategoryId ? 'subcategory_id = @sub' : q.categoryId ? 'category_id = @cat' : null;
  if (q.subcategoryId) params.sub = q.subcategoryId;
  else if (q.categoryId) params.cat = q.categoryId;

  let source: string;
  const where: string[] = [];
  const order: string[] = [];
  if (q.municipality) {
    // the municipality's providers and the few serving the whole prefecture (local ones first)
    source = `(SELECT id, MIN(local) AS local FROM (SELECT provider_id AS id, 0 AS local FROM provider_areas WHERE municipality = @muni
      UNION ALL SELECT id, 1 FROM providers WHERE whole_prefecture = 1) GROUP BY id)`;
    params.muni = q.municipality;
    order.push('s.local');
    keywordSets.forEach((k) => where.push(`s.id IN (${k})`));
  } else if (keywordSets.length) {
    source = `(${keywordSets[0]})`;
    keywordSets.slice(1).forEach((k) => where.push(`s.id IN (${k})`));
  } else if (category) {
    source = `(SELECT DISTINCT provider_id AS id FROM provider_categories WHERE ${category})`;
  } else {
    source = "(SELECT id FROM providers WHERE status = 'approved')";
  }
  if (category && !source.includes('provider_categories')) where.push(`EXISTS (SELECT 1 FROM provider_categories c WHERE c.${category} AND c.provider_id = s.id)`);
  // keyword matches are approved by construction (the text indexes hold nothing else); otherwise
  // the status comes from its index, which holds it with the id: the wide row is not read
  if (!keywordSets.length) where.push("EXISTS (SELECT 1 FROM providers st INDEXED BY providers_status WHERE st.status = 'approved' AND st.id = s.id)");
  single.forEach((t, i) => {
    // one character: no index can help, but such searches are rare and still bounded by the other conditions
    where.push(`EXISTS (SELECT 1 FROM providers r WHERE r.id = s.id AND (r.name LIKE @s${i} ESCAPE '\\' OR r.description LIKE @s${i} ESCAPE '\\' OR r.services LIKE @s${i} ESCAPE '\\'))`);
    params[`s${i}`] = `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  });
  (q.categoryWords ?? []).slice(0, 4).forEach((c, i) => {
    // 「配送」 holds for a provider in 配送, or one whose text says 配送 (indexed providers are approved)
    const column = c.subcategoryId ? 'subcategory_id' : 'category_id';
    params[`cw${i}`] = c.subcategoryId ?? c.categoryId;
    where.push(`s.id IN (SELECT provider_id AS id FROM provider_categories WHERE ${column} = @cw${i} UNION ${textSet(searchForm(c.word), `cwt${i}`, params)})`);
  });
  // the words as one phrase (「移動販売 配送」 or 「移動販売配送」) rank first
  const phrase = searchForm(q.phrase ?? '');
  if (phrase.includes(' ') && [...phrase].length >= 3) {
    order.unshift('CASE WHEN s.id IN (SELECT rowid FROM provider_fts WHERE provider_fts MATCH @phrase) THEN 0 ELSE 1 END');
    params.phrase = [...new Set([phrase, phrase.replace(/ /g, '')])].map(quote).join(' OR ');
  }
  // providers of an import still being written are not shown (merge.ts)
  where.push(visible('s'));
  if (nameSets.length) order.push(`CASE WHEN s.id IN (${nameSets.join(' UNION ')}) THEN 0 ELSE 1 END`);
  order.push('s.id');
  const sql = `SELECT s.id, COUNT(*) OVER () AS total FROM ${source} AS s ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${order.join(', ')} LIMIT @limit OFFSET @offset`;
  return { sql, params };
}
