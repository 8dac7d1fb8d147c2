/**
 * Picks the sentences of a passage that answer the question best: the offline answer quotes
 * them, so the reply to 「ツドレバって何社参加した？」 starts with the sentence that says 40社.
 */
import { normalizeForMatch, toKatakana } from '../knowledge/normalize.js';
import { bigramTokens } from '../retrieval/tokenize.js';

export function splitSentences(text: string): string[] {
  return text
    .split(/\n|(?<=。)/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 6);
}

/**
 * The `n` sentences with the most question bigrams (weighted by `weight`, e.g. IDF), in the
 * order they appear. Sentences that share nothing with the question are never returned.
 */
export function bestSentences(question: string, texts: string[], n: number, weight: (bigram: string) => number = () => 1): string[] {
  const q = new Set(bigramTokens(question));
  const scored: { s: string; score: number; order: number }[] = [];
  let order = 0;
  const seen = new Set<string>();
  for (const text of texts) {
    for (const s of splitSentences(text)) {
      const key = toKatakana(normalizeForMatch(s));
      if (seen.has(key)) continue;
      seen.add(key);
      const grams = new Set(bigramTokens(s));
      let score = 0;
      for (const g of grams) if (q.has(g)) score += weight(g);
      // prefer sentences to headings and labels of the same score
      if (!/[。)）]$/.test(s)) score *= 0.6;
      scored.push({ s, score: score / Math.sqrt(Math.max(8, [...s].length) / 8), order: order++ });
    }
  }
  return scored
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, n)
    .sort((a, b) => a.order - b.order)
    .map((x) => x.s);
}
