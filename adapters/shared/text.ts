/**
 * Text measured and cut the way both platforms count it: in code points (a kanji or an emoji is
 * one character to Slack's and Discord's limits, not one or two UTF-16 units).
 */

export const length = (s: string): number => [...s].length;

/** Cuts text to `max` characters, marking the cut. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Splits text into pieces of at most `max` characters, at line breaks; an over-long line is cut. */
export function splitAtLines(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    const l = length(line) > max ? cut(line, max) : line;
    if (cur && length(cur) + length(l) + 1 > max) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push(cur);
  return out;
}
