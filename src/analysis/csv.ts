/**
 * The gap list as CSV, written like the other exports (csv-stringify, UTF-8 with BOM, CRLF, so
 * Excel in Japan opens it). A cell that a spreadsheet would run as a formula (=, +, -, @) is
 * prefixed with an apostrophe: municipality names come from a file the prefecture edits.
 */
import { stringify } from 'csv-stringify/sync';
import { withBom } from '../providers/csv.js';
import type { GapView } from './gaps.js';
import { SOURCE_LABEL } from './needs.js';

export const GAP_CSV_HEADERS = ['順位', '市町村', 'カテゴリ', '事業者数（県全域を含む）', 'うち県全域', '空白', '困りごとの出典', '困りごとの語', '接点がない（Q3）', 'リスト共有を希望（Q4）'] as const;

/** A cell a spreadsheet will not run as a formula. */
export function safeCell(v: string | number): string {
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Every reported need, ranked as in the view, one row each. */
export function gapCsv(view: GapView): Buffer {
  const rowOf = new Map(view.rows.map((r) => [r.municipalityId, r]));
  const rows = view.needs.map((n, i) => {
    const r = rowOf.get(n.municipalityId)!;
    return [
      i + 1, n.municipality, n.category, n.providers, view.wide.get(n.categoryId) ?? 0, n.providers === 0 ? '空白' : '',
      SOURCE_LABEL[n.need.source], n.need.word, r.noContact ? '○' : '', r.wantsProviders ? '○' : '',
    ].map(safeCell);
  });
  return withBom(stringify([[...GAP_CSV_HEADERS], ...rows], { record_delimiter: '\r\n' }));
}
