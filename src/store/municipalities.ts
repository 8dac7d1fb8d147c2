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

const ListEntry = z.object({ name: z.string().trim().min(1), reading: z.string().trim().optional() });

/** Reads the configured list; throws with the line that is wrong. */
export function readMunicipalityList(file: string): { name: string; reading: string | null }[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: unknown[] = file.endsWith('.json') ? (JSON.parse(text) as unknown[]) : (parse(text, { columns: true, skip_empty_lines: true, trim: true }) as unknown[]);
  return rows.map((row, i) => {
    const parsed = ListEntry.safeParse(row);
    if (!parsed.success) throw new Error(`${file} の ${i + 2} 行目: name（市町村名）がありません`);
    return { name: parsed.data.name, reading: parsed.data.reading ? toHiragana(parsed.data.reading) : null };
  });
}

export class MunicipalityStore {
  constructor(private readonly db: Db) {}

  /** Replaces the list-derived municipalities with `list` (free-typed ones are kept). */
  syncList(list: { name: string; reading: string | null }[], now = Date.now()): void {
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
