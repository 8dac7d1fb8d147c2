/**
 * A chart in the terminal: one line per bar, the label padded to one column (by display width, so
 * Japanese labels line up), a bar of Unicode block elements in eighths, then the value and a note.
 *
 *   買物              ████████▌ 12  うち空白 3
 */
import type { ReplyFile } from '../../src/core.js';
import { displayWidth } from './width.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `value / max` of `cells` columns, in eighths of a column. */
export function bar(value: number, max: number, cells: number): string {
  if (max <= 0 || value <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * cells * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

/** Cuts a label to `width` columns. */
function fit(label: string, width: number): string {
  let out = '';
  for (const ch of label) {
    if (displayWidth(out + ch) > width - (displayWidth(label) > width ? 1 : 0)) return `${out}…`;
    out += ch;
  }
  return out;
}

/** The bars of a chart as terminal lines, fitted to `width` columns. */
export function renderBars(bars: NonNullable<ReplyFile['bars']>, width: number): string {
  const labelWidth = Math.min(24, Math.max(...bars.rows.map((r) => displayWidth(r.label)), 4));
  const max = Math.max(...bars.rows.map((r) => r.value), 0);
  const valueWidth = String(max).length;
  const cells = Math.max(8, Math.min(30, width - labelWidth - valueWidth - 16));
  const lines = [`  ■ ${bars.title}`];
  for (const r of bars.rows) {
    const label = fit(r.label, labelWidth);
    const b = bar(r.value, max, cells);
    lines.push(`  ${label}${' '.repeat(labelWidth - displayWidth(label))} ${b}${' '.repeat(cells + 1 - displayWidth(b))}${String(r.value).padStart(valueWidth)}${r.note ? `  ${r.note}` : ''}`);
  }
  return lines.join('\n');
}
