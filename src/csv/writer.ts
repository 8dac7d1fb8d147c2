/**
 * The one CSV writer every export uses (providers, checklist, usage, and any later one), so that
 * what the prefecture opens in Excel is safe and what it imports again is what was exported.
 *
 * - UTF-8 with a byte-order mark (Excel in Japan opens UTF-8 correctly only with it), CRLF.
 * - Formula injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, tab or CR
 *   is prefixed with a single quote, so Excel and LibreOffice show it as text instead of running
 *   it (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`, `+81-48-…`). Cells are always quoted when they
 *   contain a quote, comma or line break (csv-stringify).
 * - The prefix is reversible: {@link unescapeCell} (used by the reader) removes exactly one leading
 *   quote before such a character. A cell that already starts with quotes before such a character
 *   (`'=x`) gets one more, so the round trip returns the original text in every case.
 *
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
import { stringify } from 'csv-stringify/sync';

/** The byte-order mark written first. */
export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP's list), and LF: the reader
 * turns a CR into LF (line endings are normalised), so a quoted CR must still be recognised as one.
 */
const FORMULA_START = /^'*[=+\-@\t\r\n]/;

/** A cell made safe to open in a spreadsheet: a leading formula character is quoted away. */
export function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The original text of a cell written by {@link escapeCell} (and any other cell unchanged). */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

/** Cells quoted beyond csv-stringify's own rule: a neutralised one, and any with a lone CR (which it leaves bare). */
const QUOTED = [/^'/, /[\r\n]/];

/** One line of CSV (with its CRLF), every cell neutralised. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return stringify([cells.map((c) => escapeCell(c === null || c === undefined ? '' : String(c)))], { record_delimiter: '\r\n', quoted_match: QUOTED });
}

/**
 * Writes a table as CSV chunks: the BOM and header first, then the rows in batches (a few hundred
 * rows per chunk), so a caller can stream an export of any size to a file with constant memory.
 */
export function* csvChunks(header: readonly string[], rows: Iterable<readonly (string | number | null | undefined)[]>, rowsPerChunk = 500): Generator<Buffer> {
  yield Buffer.concat([UTF8_BOM, Buffer.from(csvLine(header), 'utf8')]);
  let lines: string[] = [];
  for (const row of rows) {
    lines.push(csvLine(row));
    if (lines.length >= rowsPerChunk) {
      yield Buffer.from(lines.join(''), 'utf8');
      lines = [];
    }
  }
  if (lines.length) yield Buffer.from(lines.join(''), 'utf8');
}

/** A whole (small) table as one file's bytes: for chat attachments. */
export function csvBuffer(header: readonly string[], rows: Iterable<readonly (string | number | null | undefined)[]>): Buffer {
  return Buffer.concat([...csvChunks(header, rows)]);
}
