/**
 * Picks the sentences of a passage that answer the question best: the offline answer quotes
 * them, so the reply to 「ツドレバって何社参加した？」 starts with the sentence that says 40社.
 *
 * Only statements are quoted: a heading or label (「ステップ1の実施」「プラットフォームの内容」
 * 「2. イベント参加者・登壇者への声かけ:」) is context, not evidence. A sentence that introduces a
 * list (「主に以下の内容を伝える研修を実施する。」) is quoted together with its list.
 */
import { normalizeForMatch, toKatakana } from '../knowledge/normalize.js';
import { bigramTokens } from '../retrieval/tokenize.js';

/** A list quoted with its introducing sentence stops here (every platform shows this in one block). */
export const MAX_LIST_CHARS = 600;
const MAX_LIST_ITEMS = 10;

export function splitSentences(text: string): string[] {
  return text
    .split(/\n|(?<=。)/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 6);
}

const LIST_ITEM = /^([・●○◆■□▪\-－*]|[①-⑳]|\(?\d{1,2}[).．、]|（\d{1,2}）)\s*/;
/** 「以下の…。」「次のとおり。」「…:」: the sentence announces what follows. */
const INTRODUCES = /(以下|次の|下記|次のとおり|以下のとおり|つぎの)[^。]*[。:：]$|[:：]$/;

/**
 * Whether a line states something (and so can be quoted as evidence): it ends like a sentence
 * (。！？, or a verb's ending), not like a heading, a label or a caption. A trailing page
 * reference or bracket does not count.
 */
export function isStatement(sentence: string): boolean {
  const s = sentence.trim().replace(/([（(][^（()）]*[)）]|[」』】\]])+$/, '').trim();
  if (/[:：]$/.test(s)) return false;
  if (/[。．！？!?]$/.test(s)) return true;
  // list items and bullets without a full stop, when they end like a clause
  return [...s].length >= 12 && /(する|した|される|された|できる|できた|ている|ていた|ます|です|である|ない|なる|なった|いる|ある)$/.test(s);
}

/** A line of a list (not the next numbered sub-heading, 「3. イベントコンテンツの作成:」). */
const isItem = (line: string | undefined): line is string => line !== undefined && LIST_ITEM.test(line) && !/[:：]$/.test(line);

interface Unit {
  /** The text to quote (an introducing sentence with its list keeps the list's line breaks). */
  text: string;
  /** What the score is computed on. */
  scored: string;
}

/** A text's quotable units: its statements, each list attached to the sentence introducing it. */
function units(text: string, quotable: boolean): Unit[] {
  if (!quotable) return splitSentences(text).map((s) => ({ text: s, scored: s }));
  const lines = text.split('\n').map((l) => l.trim());
  const out: Unit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const sentences = splitSentences(lines[i]!);
    for (let k = 0; k < sentences.length; k++) {
      const s = sentences[k]!;
      const last = k === sentences.length - 1;
      if (last && INTRODUCES.test(s) && isItem(lines[i + 1])) {
        const items: string[] = [];
        let size = [...s].length;
        while (isItem(lines[i + 1]) && items.length < MAX_LIST_ITEMS && size + [...lines[i + 1]!].length + 1 <= MAX_LIST_CHARS) {
          items.push(lines[++i]!);
          size += [...items[items.length - 1]!].length + 1;
        }
        out.push({ text: [s, ...items].join('\n'), scored: [s, ...items].join(' ') });
      } else if (isStatement(s)) {
        out.push({ text: s, scored: s });
      }
    }
  }
  return out;
}

/**
 * The `n` sentences with the most question bigrams (weighted by `weight`, e.g. IDF), in the
 * order they appear. Sentences that share nothing with the question are never returned. With
 * `quotable` (the default) only statements are returned, a list with the sentence introducing it.
 */
export function bestSentences(question: string, texts: string[], n: number, weight: (bigram: string) => number = () => 1, options: { quotable?: boolean } = {}): string[] {
  const quotable = options.quotable ?? true;
  const q = new Set(bigramTokens(question));
  const scored: { s: string; score: number; order: number }[] = [];
  let order = 0;
  const seen = new Set<string>();
  for (const text of texts) {
    for (const unit of units(text, quotable)) {
      const key = toKatakana(normalizeForMatch(unit.text));
      if (seen.has(key)) continue;
      seen.add(key);
      const grams = new Set(bigramTokens(unit.scored));
      let score = 0;
      for (const g of grams) if (q.has(g)) score += weight(g);
      // prefer sentences to headings and labels of the same score
      if (!quotable && !/[。)）]$/.test(unit.text)) score *= 0.6;
      // a long list is not penalised beyond a long sentence: its items are evidence too
      const length = Math.min([...unit.scored].length, 120);
      scored.push({ s: unit.text, score: score / Math.sqrt(Math.max(8, length) / 8), order: order++ });
    }
  }
  return scored
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, n)
    .sort((a, b) => a.order - b.order)
    .map((x) => x.s);
}

/** A heading without brackets of its own: 「【テーマ②】都道府県…」 → 「テーマ② 都道府県…」 (renderers put it in 【】). */
export function plainHeading(text: string): string {
  return text.replace(/【([^【】]*)】\s*/g, '$1 ').trim();
}
