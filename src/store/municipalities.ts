/**
 * The prefecture's municipalities. From a configured list (CSV or JSON, replaceable by the
 * prefecture) or, without one, from the names users type, normalised so that 「行田市」「行田」
 * 「ぎょうだし」 are one municipality and not three.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { normalizeForMatch, toHiragana } from '../knowledge/normalize.js';
import type { Db } from './db.js';

export interface Municipality {
  id: string;
  name: string;
  reading: string | null;
  fromList: boolean;
}

const NAME_SUFFIX = /(市|町|村|区)$/;
const READING_SUFFIX = /(し|まち|ちょう|むら|そん|く)$/;

/** Comparison key of a name: NFKC, no spaces, hiragana, without 市/町/村 (and their readings). */
export function municipalityKey(input: string): string {
  const n = toHiragana(normalizeForMatch(input)).replace(/\s+/g, '').replace(/ヶ|ケ|が/g, 'が');
  if (/^[ぁ-ゖー]+$/.test(n)) return n.replace(READING_SUFFIX, '');
  return n.replace(NAME_SUFFIX, '');
}

/** Neighbours are written in one cell, separated by 「;」「、」「・」 or 「/」 (JSON may give an array). */
const NEIGHBOUR_SEPARATOR = /[;；、・/／]/;

const ListEntry = z.object({
  name: z.string().trim().min(1),
  reading: z.string().trim().optional(),
  neighbours: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(NEIGHBOUR_SEPARATOR)).map((n) => n.trim()).filter(Boolean)),
});

/** One municipality of the configured list. */
export interface ListedMunicipality {
  name: string;
  reading: string | null;
  /** The municipalities that border it (from the list's optional neighbours column), both ways. */
  neighbours: string[];
}

/**
 * Reads the configured list; throws with the line that is wrong. A neighbour must be a name of
 * the list (a typo would otherwise silently drop a drill-down); adjacency is made symmetric, so
 * a prefecture may write each border once.
 */
export function readMunicipalityList(file: string): ListedMunicipality[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: unknown[] = file.endsWith('.json') ? (JSON.parse(text) as unknown[]) : (parse(text, { columns: true, skip_empty_lines: true, trim: true }) as unknown[]);
  const list = rows.map((row, i) => {
    const parsed = ListEntry.safeParse(row);
    if (!parsed.success) throw new Error(`${file} の ${i + 2} 行目: name（市町村名）がありません`);
    return { name: parsed.data.name, reading: parsed.data.reading ? toHiragana(parsed.data.reading) : null, neighbours: parsed.data.neighbours };
  });
  const byName = new Map(list.map((m) => [m.name, new Set<string>()]));
  list.forEach((m, i) => {
    for (const n of m.neighbours) {
      if (!byName.has(n)) throw new Error(`${file} の ${i + 2} 行目: 隣接する市町村「${n}」が一覧にありません（名前を一覧のとおりに書いてください）`);
      if (n === m.name) throw new Error(`${file} の ${i + 2} 行目: 「${n}」が自分自身を隣接する市町村にしています`);
      byName.get(m.name)!.add(n);
      byName.get(n)!.add(m.name);
    }
  });
  // in list order, which is the prefecture's own order (code order for the bundled file)
  const order = new Map(list.map((m, i) => [m.name, i]));
  return list.map((m) => ({ ...m, neighbours: [...byName.get(m.name)!].sort((a, b) => order.get(a)! - order.get(b)!) }));
}

export class MunicipalityStore {
  /** Who borders whom, by name (only from a configured list; kept in memory, the file is the source). */
  private borders = new Map<string, readonly string[]>();

  constructor(private readonly db: Db) {}

  /** The municipalities bordering `name`, as the configured list says (none without that column). */
  neighboursOf(name: string): readonly string[] {
    return this.borders.get(name) ?? [];
  }

  /** Replaces the list-derived municipalities with `list` (free-typed ones are kept). */
  syncList(list: { name: string; reading: string | null; neighbours?: readonly string[] }[], now = Date.now()): void {
    this.borders = new Map(list.map((m) => [m.name, m.neighbours ?? []]));
    const upsert = this.db.prepare(
      'INSERT INTO municipalities (id, name, reading, match_key, from_list, created_at) VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, reading = excluded.reading, match_key = excluded.match_key, from_list = 1',
    );
    this.db.transaction(() => {
      for (const m of list) upsert.run(m.name, m.name, m.reading, municipalityKey(m.name), now);
    })();
  }

  all(fromListOnly = false): Municipality[] {
    const rows = this.db.prepare(`SELECT * FROM municipalities ${fromListOnly ? 'WHERE from_list = 1' : ''} ORDER BY from_list DESC, rowid`).all() as Record<string, unknown>[];
    return rows.map((r) => ({ id: String(r.id), name: String(r.name), reading: r.reading === null ? null : String(r.reading), fromList: r.from_list === 1 }));
  }

  get(id: string): Municipality | null {
    return this.all().find((m) => m.id === id) ?? null;
  }

  /** Municipalities matching what a user typed: exact key matches first, then partial ones. */
  find(input: string): Municipality[] {
    const key = municipalityKey(input);
    if (!key) return [];
    const all = this.all();
    // 「行田村」 is not 「行田市」: a typed 市/町/村 must match the name's own
    const suffix = /(市|町|村|区)$/.exec(normalizeForMatch(input).replace(/\s+/g, ''))?.[1];
    const sameSuffix = (m: Municipality): boolean => !suffix || m.name.endsWith(suffix);
    const exact = all.filter((m) => (municipalityKey(m.name) === key && sameSuffix(m)) || (m.reading && municipalityKey(m.reading) === key));
    if (exact.length) return exact;
    if (suffix && all.some((m) => municipalityKey(m.name) === key)) return [];
    return all.filter((m) => municipalityKey(m.name).includes(key) || (m.reading && municipalityKey(m.reading).startsWith(key))).slice(0, 10);
  }

  /** Autocomplete: the names containing what is typed, or matching it as a municipality (「ぎょうだ」→ 行田市). */
  complete(typed: string): string[] {
    const matching = typed ? new Set(this.find(typed).map((m) => m.name)) : new Set<string>();
    return this.all().map((m) => m.name).filter((name) => !typed || name.includes(typed) || matching.has(name));
  }

  /** Registers a typed name (free-name mode). */
  add(name: string, reading: string | null, now = Date.now()): Municipality {
    const clean = normalizeForMatch(name).replace(/\s+/g, '');
    const id = clean;
    this.db
      .prepare('INSERT INTO municipalities (id, name, reading, match_key, from_list, created_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING')
      .run(id, clean, reading ? toHiragana(reading) : null, municipalityKey(clean), now);
    return this.get(id)!;
  }
}
