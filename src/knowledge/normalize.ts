/**
 * Text normalisation shared by the knowledge loader, the search index and the evaluation.
 *
 * Japanese users type full-width and half-width forms, katakana and hiragana, and spaces in
 * unpredictable places; the documents themselves were extracted with stray spaces. Everything
 * that compares text goes through these functions so that the comparison is the same everywhere.
 */

/** NFKC (full/half width, compatibility characters), unified long vowel and wave dashes, single spaces. */
export function normalizeText(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212\uFF0D]/g, '-')
    .replace(/[〜～]/g, '~')
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}

/** Lower-cased normalised text, for matching. */
export function normalizeForMatch(input: string): string {
  return normalizeText(input).toLowerCase();
}

/** Removes every whitespace character after NFKC: the form the evaluation compares gold phrases in. */
export function squash(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '');
}

const HIRAGANA_START = 0x3041;
const HIRAGANA_END = 0x3096;
const KANA_OFFSET = 0x60;

/** Hiragana to katakana (leaves everything else alone). */
export function toKatakana(input: string): string {
  let out = '';
  for (const ch of input) {
    const code = ch.codePointAt(0)!;
    out += code >= HIRAGANA_START && code <= HIRAGANA_END ? String.fromCodePoint(code + KANA_OFFSET) : ch;
  }
  return out;
}

/** Katakana to hiragana (leaves everything else alone). */
export function toHiragana(input: string): string {
  let out = '';
  for (const ch of input) {
    const code = ch.codePointAt(0)!;
    out += code >= HIRAGANA_START + KANA_OFFSET && code <= HIRAGANA_END + KANA_OFFSET ? String.fromCodePoint(code - KANA_OFFSET) : ch;
  }
  return out;
}

/**
 * A comparison key that survives the extraction debris of the source documents: NFKC, no
 * whitespace, no list bullets or markup characters. Used to prove that the cleaned documents and
 * the structured records quote the originals faithfully.
 */
export function fingerprint(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/<[^>]+>/g, '')
    .replace(/\{#[^}]*\}/g, '')
    .replace(/[\s*#|・●○■▶▼⚫\-:：、,，/／]/g, '');
}

/** Control characters other than tab and newline, which no user message needs. */
export function stripControlCharacters(input: string): string {
  // eslint-disable-next-line no-control-regex
  return input.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '');
}
