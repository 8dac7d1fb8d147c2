/**
 * CSV import and export of the provider directory, with Japanese column headers. Reads UTF-8
 * (with or without BOM) and Shift_JIS (what Excel in Japan writes); validates every row and
 * reports every error with its line number; writes nothing unless the whole file is valid; rows
 * update existing entries by 外部ID. Export writes the same format, UTF-8 with BOM.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import type { Taxonomy } from '../knowledge/schema.js';
import { ORG_TYPES, ProviderInputSchema, STATUS_LABEL, type Provider, type ProviderInput, type ProviderStatus } from './model.js';

export const CSV_HEADERS = [
  '外部ID', '名称', 'よみがな', '組織の種類', 'カテゴリ', 'サブカテゴリ', '対象市町村', '県全域', '住所',
  '高齢者向けサービスの説明', 'サービス内容', '電話番号', 'URL', 'メールアドレス', '情報源', '状態',
] as const;
const REQUIRED = ['名称', '組織の種類', 'サブカテゴリ'] as const;
const LIST_SEPARATOR = /[、;；|｜\n]+/;

export type Encoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';

/** Decodes the bytes of a CSV file: BOM → UTF-8, valid UTF-8 → UTF-8, otherwise Shift_JIS (CP932). */
export function decodeCsv(data: Buffer): { text: string; encoding: Encoding } {
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return { text: data.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(data, 'cp932'), encoding: 'shift_jis' };
  }
}

export interface RowError {
  line: number;
  message: string;
}

export interface ParsedCsv {
  rows: CsvRow[];
  errors: RowError[];
  encoding: Encoding;
}

const STATUS_BY_LABEL = new Map<string, ProviderStatus>(Object.entries(STATUS_LABEL).map(([k, v]) => [v, k as ProviderStatus]));

export interface CsvContext {
  taxonomy: Taxonomy;
  /** Municipality names of the prefecture (an empty list accepts any name). */
  municipalities: string[];
  /** Suggests the closest known municipality names for an unknown one. */
  suggest: (name: string) => string[];
  defaultSource: string;
}

function splitList(v: string | undefined): string[] {
  return (v ?? '').split(LIST_SEPARATOR).map((x) => x.normalize('NFKC').trim()).filter(Boolean);
}

/** A header problem: the file cannot be read at all. */
class HeaderError extends Error {}

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

/**
 * Reads and validates a file row by row: each valid row goes to `onRow` as soon as it is read and
 * nothing is kept (csv-parse's on_record returning null), so a file of 100,000 rows needs little
 * more memory than its own bytes. Every error is collected with its line number; `onRow` is told
 * how many there have been so far.
 */
export function readProvidersCsv(data: Buffer, ctx: CsvContext, onRow: (row: CsvRow, errorsSoFar: number) => void): CsvReading {
  const { text, encoding } = decodeCsv(data);
  const errors: RowError[] = [];
  const known = new Set(ctx.municipalities);
  const seenIds = new Map<string, number>();
  let rows = 0;
  let records = 0;
  const visit = (r: Record<string, string>, line: number): void => {
    records++;
    const problems: string[] = [];
    const subs = splitList(r['サブカテゴリ']);
    const cats = splitList(r['カテゴリ']);
    const categories: ProviderInput['categories'] = [];
    subs.forEach((subName, i) => {
      const catName = cats[i] ?? (cats.length === 1 ? cats[0] : undefined);
      const cat = ctx.taxonomy.categories.find((c) => c.subcategories.some((s) => s.name === subName));
      if (!cat) {
        problems.push(`サブカテゴリ「${subName}」はありません`);
        return;
      }
      if (catName && catName !== cat.name) problems.push(`サブカテゴリ「${subName}」はカテゴリ「${cat.name}」のものです（「${catName}」ではありません）`);
      categories.push({ categoryId: cat.id, subcategoryId: cat.subcategories.find((s) => s.name === subName)!.id });
    });
    const areas = splitList(r['対象市町村']);
    if (known.size) {
      for (const a of areas) {
        if (!known.has(a)) {
          const s = ctx.suggest(a);
          problems.push(`対象市町村「${a}」は市町村の一覧にありません${s.length ? `（もしかして: ${s.join('、')}）` : ''}`);
        }
      }
    }
    const wholeCell = (r['県全域'] ?? '').trim();
    const whole = /^(はい|○|◯|1|true|yes|全域)$/i.test(wholeCell);
    // 「不明」: the source names the organisation but not where it serves (documented entries)
    if (!whole && !areas.length && wholeCell !== '不明') problems.push('「対象市町村」か「県全域」のどちらかを入れてください（地域が分からない場合は県全域に「不明」）');
    const statusLabel = (r['状態'] ?? '').trim();
    const status = statusLabel ? STATUS_BY_LABEL.get(statusLabel) : 'approved';
    if (!status) problems.push(`状態「${statusLabel}」は ${Object.values(STATUS_LABEL).join('／')} のどれかです`);
    const externalId = (r['外部ID'] ?? '').trim();
    if (externalId) {
      if (seenIds.has(externalId)) problems.push(`外部ID「${externalId}」が ${seenIds.get(externalId)} 行目と重複しています`);
      seenIds.set(externalId, line);
    }
    const opt = (k: string): string | undefined => ((r[k] ?? '').trim() ? (r[k] ?? '').trim() : undefined);
    const candidate = {
      ...(externalId ? { externalId } : {}),
      name: (r['名称'] ?? '').trim(),
      ...(opt('よみがな') ? { reading: opt('よみがな') } : {}),
      orgType: (r['組織の種類'] ?? '').trim(),
      categories,
      wholePrefecture: whole,
      areas,
      ...(opt('住所') ? { address: opt('住所') } : {}),
      description: (r['高齢者向けサービスの説明'] ?? '').trim(),
      services: (r['サービス内容'] ?? '').trim(),
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
        // an unknown sub-category was already reported; "no category" would only repeat it
        if (field === 'categories' && subs.length) continue;
        problems.push(field === 'orgType' ? `組織の種類「${candidate.orgType}」は ${ORG_TYPES.join('／')} のどれかです` : issue.message);
      }
    }
    if (problems.length) for (const message of [...new Set(problems)]) errors.push({ line, message });
    else if (parsed.success) {
      rows++;
      onRow({ line, input: parsed.data }, errors.length);
    }
  };
  try {
    parse(text, {
      columns: (h: string[]) => {
        const headers = h.map((x) => x.normalize('NFKC').trim());
        const missing = REQUIRED.filter((r) => !headers.includes(r));
        if (missing.length) throw new HeaderError(`見出しに ${missing.map((m) => `「${m}」`).join('')} がありません（テンプレートの見出しを使ってください）`);
        const unknown = headers.filter((x) => !(CSV_HEADERS as readonly string[]).includes(x));
        if (unknown.length) errors.push({ line: 1, message: `知らない見出しがあります: ${unknown.join('、')}（使える見出し: ${CSV_HEADERS.join('、')}）` });
        return headers;
      },
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      bom: true,
      on_record: (record: Record<string, string>, context) => {
        visit(record, context.lines);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof HeaderError) return { rows: 0, errors: [{ line: 1, message: error.message }], encoding };
    const line = (error as { lines?: number }).lines;
    return { rows: 0, errors: [...errors, { line: line ?? 1, message: `CSV として読めません（${(error as Error).message.replace(/^Invalid .*?: /, '')}）` }], encoding };
  }
  if (!records) return { rows: 0, errors: [{ line: 1, message: 'データ行がありません（1行目は見出しです）' }], encoding };
  return { rows, errors, encoding };
}

/** Reads a whole (small) file into memory: the rows and every error. */
export function parseProvidersCsv(data: Buffer, ctx: CsvContext): ParsedCsv {
  const rows: CsvRow[] = [];
  const { errors, encoding } = readProvidersCsv(data, ctx, (row) => rows.push(row));
  return { rows: errors.length ? [] : rows, errors, encoding };
}

/** The header line and one example row, as a template file. */
export function templateCsv(): Buffer {
  const example = ['ex-001', '〇〇スーパー 〇〇店', 'まるまるすーぱー', '企業', '買物', '移動販売、配送', '行田市', 'いいえ', '', '高齢者向けに移動販売車で食品・日用品を販売', '毎週火・金 10時〜', '048-000-0000', 'https://example.jp', '', '事業者からの申込', '掲載中'];
  return withBom(stringify([[...CSV_HEADERS], example], { record_delimiter: '\r\n' }));
}

/** UTF-8 with a byte-order mark and CRLF rows: what Excel in Japan opens correctly. */
export function withBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export function exportProvidersCsv(list: Provider[], taxonomy: Taxonomy): Buffer {
  const catName = (id: string): string => taxonomy.categories.find((c) => c.id === id)?.name ?? id;
  const subName = (id: string): string => taxonomy.categories.flatMap((c) => c.subcategories).find((s) => s.id === id)?.name ?? id;
  const rows = list.map((p) => [
    p.externalId ?? `id-${p.id}`, p.name, p.reading ?? '', p.orgType,
    p.categories.map((c) => catName(c.categoryId)).join('、'), p.categories.map((c) => subName(c.subcategoryId)).join('、'),
    p.areas.join('、'), p.wholePrefecture ? 'はい' : p.areas.length ? 'いいえ' : '不明', p.address ?? '', p.description, p.services,
    p.phone ?? '', p.url ?? '', p.email ?? '', p.source, STATUS_LABEL[p.status],
  ]);
  return withBom(stringify([[...CSV_HEADERS], ...rows], { record_delimiter: '\r\n' }));
}
