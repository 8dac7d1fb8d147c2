/**
 * CSV import and export of the provider directory, with Japanese column headers. Reading goes
 * through src/csv/reader.ts (encoding verdict, line endings, Japanese parser errors, cells returned
 * to their original text) and writing through src/csv/writer.ts (formula cells neutralised), so an
 * exported file imports back unchanged. Every row is validated and every error reported with its
 * line; rows update existing entries by 外部ID.
 */
import type { Taxonomy } from '../knowledge/schema.js';
import { csvBuffer, csvChunks } from '../csv/writer.js';
import { cleanCell, CsvReadError, readCsv, shown, type LineError } from '../csv/reader.js';
import type { Encoding } from '../csv/decode.js';
import { nearest } from './suggest.js';
import { ORG_TYPES, ProviderInputSchema, STATUS_LABEL, type Provider, type ProviderInput, type ProviderStatus } from './model.js';
import { PROVIDERS } from '../messages/providers.js';

export type { Encoding } from '../csv/decode.js';
export type RowError = LineError;

export const CSV_HEADERS = [
  '外部ID', '名称', 'よみがな', '組織の種類', 'カテゴリ', 'サブカテゴリ', '対象市町村', '県全域', '住所',
  '高齢者向けサービスの説明', 'サービス内容', '電話番号', 'URL', 'メールアドレス', '情報源', '状態',
] as const;
const REQUIRED = ['名称', '組織の種類', 'サブカテゴリ'] as const;
const LIST_SEPARATOR = /[、;；|｜\n]+/;

/** The documented values of 県全域 (the template's): an empty cell is いいえ. */
export const WHOLE_PREFECTURE_VALUES = { はい: true, いいえ: false, 不明: false } as const;

const STATUS_BY_LABEL = new Map<string, ProviderStatus>(Object.entries(STATUS_LABEL).map(([k, v]) => [v, k as ProviderStatus]));

export interface CsvContext {
  taxonomy: Taxonomy;
  /** Municipality names of the prefecture (an empty list accepts any name). */
  municipalities: string[];
  /** Suggests the closest known municipality names for an unknown one. */
  suggest: (name: string) => string[];
  defaultSource: string;
}

export interface CsvRow {
  line: number;
  input: ProviderInput;
}

export interface CsvReading {
  /** Number of valid rows handed to the visitor. */
  rows: number;
  errors: RowError[];
  encoding: Encoding;
}

export interface ParsedCsv extends CsvReading {
  rowsRead: CsvRow[];
}

function splitList(v: string): string[] {
  return v.split(LIST_SEPARATOR).map((x) => x.normalize('NFKC').trim()).filter(Boolean);
}

const quoteList = (names: string[]): string => names.map((n) => `「${n}」`).join('');

/**
 * Reads and validates a file row by row: each valid row goes to `onRow` as soon as it is read and
 * nothing is kept, so a file of 100,000 rows needs little more memory than its own bytes. Every
 * error is collected with its line; `onRow` is told how many there have been so far. The event loop
 * is given back every few hundred rows.
 */
export async function readProvidersCsv(data: Buffer, ctx: CsvContext, onRow: (row: CsvRow, errorsSoFar: number) => void): Promise<CsvReading> {
  const errors: RowError[] = [];
  let encoding: Encoding = 'utf-8';
  const known = new Set(ctx.municipalities);
  const seenIds = new Map<string, number>();
  const categoryNames = ctx.taxonomy.categories.map((c) => c.name);
  const subNames = ctx.taxonomy.categories.flatMap((c) => c.subcategories.map((s) => s.name));
  let rows = 0;
  let records = 0;
  let headers: string[] | null = null;
  const visit = (line: number, raw: string[]): void => {
    records++;
    if (raw.length !== headers!.length) {
      errors.push({ line, message: PROVIDERS.csvColumnCount(headers!.length, raw.length) });
      return;
    }
    const r: Record<string, string> = {};
    headers!.forEach((h, i) => (r[h] = cleanCell(raw[i] ?? '')));
    const problems: string[] = [];
    const subs = splitList(r['サブカテゴリ'] ?? '');
    const cats = splitList(r['カテゴリ'] ?? '');
    for (const c of cats) {
      if (!categoryNames.includes(c)) {
        const near = nearest(c, categoryNames);
        problems.push(PROVIDERS.csvUnknownCategory(shown(c), near, categoryNames));
      }
    }
    const categories: ProviderInput['categories'] = [];
    subs.forEach((subName, i) => {
      const catName = cats[i] ?? (cats.length === 1 ? cats[0] : undefined);
      const cat = ctx.taxonomy.categories.find((c) => c.subcategories.some((s) => s.name === subName));
      if (!cat) {
        const near = nearest(subName, subNames);
        problems.push(PROVIDERS.csvUnknownSubcategory(shown(subName), near));
        return;
      }
      if (catName && categoryNames.includes(catName) && catName !== cat.name) problems.push(PROVIDERS.csvWrongCategory(subName, cat.name, shown(catName)));
      categories.push({ categoryId: cat.id, subcategoryId: cat.subcategories.find((s) => s.name === subName)!.id });
    });
    if (!subs.length) problems.push(PROVIDERS.csvNoSubcategory);
    const areas = splitList(r['対象市町村'] ?? '');
    if (known.size) {
      for (const a of areas) {
        if (!known.has(a)) {
          const s = ctx.suggest(a);
          problems.push(PROVIDERS.csvUnknownMunicipality(shown(a), s));
        }
      }
    }
    const wholeCell = (r['県全域'] ?? '').normalize('NFKC');
    const whole = wholeCell === '' ? false : (WHOLE_PREFECTURE_VALUES as Record<string, boolean>)[wholeCell];
    if (whole === undefined) problems.push(PROVIDERS.csvWholePrefecture(shown(wholeCell)));
    // 「不明」: the source names the organisation but not where it serves (documented entries)
    else if (!whole && !areas.length && wholeCell !== '不明') problems.push(PROVIDERS.csvNoArea);
    const statusLabel = r['状態'] ?? '';
    const status = statusLabel ? STATUS_BY_LABEL.get(statusLabel) : 'approved';
    if (!status) problems.push(PROVIDERS.csvStatus(shown(statusLabel), Object.values(STATUS_LABEL).join('／')));
    const externalId = r['外部ID'] ?? '';
    if (externalId) {
      if (seenIds.has(externalId)) problems.push(PROVIDERS.csvDuplicateId(shown(externalId), seenIds.get(externalId)));
      seenIds.set(externalId, line);
    }
    const opt = (k: string): string | undefined => r[k] || undefined;
    const candidate = {
      ...(externalId ? { externalId } : {}),
      name: r['名称'] ?? '',
      ...(opt('よみがな') ? { reading: opt('よみがな') } : {}),
      orgType: r['組織の種類'] ?? '',
      categories,
      wholePrefecture: whole ?? false,
      areas,
      ...(opt('住所') ? { address: opt('住所') } : {}),
      description: r['高齢者向けサービスの説明'] ?? '',
      services: r['サービス内容'] ?? '',
      ...(opt('電話番号') ? { phone: opt('電話番号') } : {}),
      ...(opt('URL') ? { url: opt('URL') } : {}),
      ...(opt('メールアドレス') ? { email: opt('メールアドレス') } : {}),
      source: opt('情報源') ?? ctx.defaultSource,
      status: status ?? 'approved',
    };
    const parsed = ProviderInputSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        // an unknown or missing sub-category was already reported; "no category" would only repeat it
        if (field === 'categories') continue;
        problems.push(field === 'orgType' ? PROVIDERS.csvOrgType(shown(candidate.orgType), ORG_TYPES.join('／')) : issue.message);
      }
    }
    if (problems.length) for (const message of [...new Set(problems)]) errors.push({ line, message });
    else if (parsed.success) {
      rows++;
      onRow({ line, input: parsed.data }, errors.length);
    }
  };
  try {
    const file = readCsv(data);
    encoding = file.encoding;
    for await (const { line, cells } of file.records) {
      if (!headers) {
        headers = cells.map((x) => cleanCell(x).normalize('NFKC'));
        const missing = REQUIRED.filter((h) => !headers!.includes(h));
        if (missing.length) throw new CsvReadError(1, PROVIDERS.csvMissingHeaders(quoteList([...missing])));
        const unknown = [...new Set(headers.filter((x) => !(CSV_HEADERS as readonly string[]).includes(x)))];
        if (unknown.length) {
          const listed = unknown.slice(0, 5).map((u) => shown(u || PROVIDERS.csvEmptyHeader, 20)).join('、');
          errors.push({ line: 1, message: PROVIDERS.csvUnknownHeaders(listed, unknown.length - 5) });
          return { rows: 0, errors, encoding };
        }
        const dup = headers.find((h, i) => headers!.indexOf(h) !== i);
        if (dup) throw new CsvReadError(1, PROVIDERS.csvDuplicateHeader(dup));
        continue;
      }
      visit(line, cells);
    }
  } catch (error) {
    if (!(error instanceof CsvReadError)) throw error;
    return { rows: 0, errors: [...errors, { line: error.line, message: error.userMessage.replace(/^\d+行目: /, '') }], encoding };
  }
  if (!headers) return { rows: 0, errors: [{ line: 1, message: PROVIDERS.csvEmptyFile }], encoding };
  if (!records) return { rows: 0, errors: [{ line: 1, message: PROVIDERS.csvNoRows }], encoding };
  return { rows, errors, encoding };
}

/** Reads a whole (small) file into memory: the rows (none if any error) and every error. */
export async function parseProvidersCsv(data: Buffer, ctx: CsvContext): Promise<ParsedCsv> {
  const rowsRead: CsvRow[] = [];
  const reading = await readProvidersCsv(data, ctx, (row) => rowsRead.push(row));
  return { ...reading, rowsRead: reading.errors.length ? [] : rowsRead };
}

/** The header line and one example row, as a template file. */
export function templateCsv(): Buffer {
  const example = ['ex-001', '〇〇スーパー 〇〇店', 'まるまるすーぱー', '企業', '買物', '移動販売、配送', '行田市', 'いいえ', '', '高齢者向けに移動販売車で食品・日用品を販売', '毎週火・金 10時〜', '048-000-0000', 'https://example.jp', '', '事業者からの申込', '掲載中'];
  return csvBuffer([...CSV_HEADERS], [example]);
}

/** The cells of one provider, in CSV_HEADERS order. */
export function providerCells(p: Provider, taxonomy: Taxonomy): string[] {
  const catName = (id: string): string => taxonomy.categories.find((c) => c.id === id)?.name ?? id;
  const subName = (id: string): string => taxonomy.categories.flatMap((c) => c.subcategories).find((s) => s.id === id)?.name ?? id;
  return [
    p.externalId ?? `pf-${p.id}`, p.name, p.reading ?? '', p.orgType,
    p.categories.map((c) => catName(c.categoryId)).join('、'), p.categories.map((c) => subName(c.subcategoryId)).join('、'),
    p.areas.join('、'), p.wholePrefecture ? 'はい' : p.areas.length ? 'いいえ' : '不明', p.address ?? '', p.description, p.services,
    p.phone ?? '', p.url ?? '', p.email ?? '', p.source, STATUS_LABEL[p.status],
  ];
}

/** An export of any size as chunks (stream them to a file): constant memory. */
export function providersCsvChunks(list: Iterable<Provider>, taxonomy: Taxonomy): Generator<Buffer> {
  return csvChunks([...CSV_HEADERS], (function* () {
    for (const p of list) yield providerCells(p, taxonomy);
  })());
}

export function exportProvidersCsv(list: Iterable<Provider>, taxonomy: Taxonomy): Buffer {
  return Buffer.concat([...providersCsvChunks(list, taxonomy)]);
}
