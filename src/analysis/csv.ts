/**
 * The gap list as CSV, written by the one writer every export uses (src/csv/writer.ts: UTF-8 with
 * BOM, CRLF, so Excel in Japan opens it, and a cell a spreadsheet would run as a formula is
 * neutralised: municipality names come from a file the prefecture edits).
 */
import { csvBuffer } from '../csv/writer.js';
import type { GapView } from './gaps.js';
import { SOURCE_LABEL } from './needs.js';
import { ANALYSIS } from '../messages/analysis.js';

export const GAP_CSV_HEADERS = ANALYSIS.csvHeaders;

/** Every reported need, ranked as in the view, one row each. */
export function gapCsv(view: GapView): Buffer {
  const rowOf = new Map(view.rows.map((r) => [r.municipalityId, r]));
  const rows = view.needs.map((n, i) => {
    const r = rowOf.get(n.municipalityId)!;
    return [
      i + 1, n.municipality, n.category, n.providers, view.wide.get(n.categoryId) ?? 0, n.providers === 0 ? ANALYSIS.csvGap : '',
      SOURCE_LABEL[n.need.source], n.need.word, r.noContact ? '○' : '', r.wantsProviders ? '○' : '',
    ];
  });
  return csvBuffer([...GAP_CSV_HEADERS], rows);
}
