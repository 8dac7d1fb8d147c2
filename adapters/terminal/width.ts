/** Display width of Japanese text in a terminal (full-width characters take two columns). */

function charWidth(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (code < 0x20) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** Characters that must not start a line (Japanese line-breaking rules, kinsoku). */
const NO_LINE_START = new Set([...'、。，．・：；？！ー」』）】〕｝〉》％…‥ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ']);

/** Wraps one line to `width` columns, keeping ASCII words whole and respecting kinsoku. */
export function wrapLine(line: string, width: number, indent = ''): string[] {
  if (displayWidth(line) <= width) return [line];
  const out: string[] = [];
  let cur = '';
  let curW = 0;
  // a citation marker [12] is one token: never split as 「[1」 / 「2]」
  const tokens = line.match(/\[\d{1,3}\]|[A-Za-z0-9_./:%@#?=&+-]+|./gu) ?? [];
  for (const t of tokens) {
    const w = displayWidth(t);
    if (curW + w > width && cur.trim()) {
      if (NO_LINE_START.has(t) && curW + w <= width + 2) {
        cur += t;
        curW += w;
        continue;
      }
      out.push(cur);
      cur = indent;
      curW = displayWidth(indent);
      if (t === ' ') continue;
    }
    cur += t;
    curW += w;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

export function wrap(text: string, width: number, indent = ''): string {
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l, width, indent))
    .join('\n');
}
