/** Character bigrams for the provider index (shared by the store and the migration that rebuilds it). */
import { normalizeForMatch } from '../knowledge/normalize.js';

/** Space-separated character bigrams of a text (the bigram index's content and query form). */
export function bigrams(text: string): string {
  const out: string[] = [];
  for (const run of normalizeForMatch(text).match(/[^\s\p{P}\p{S}]+/gu) ?? []) {
    const chars = [...run];
    if (chars.length === 1) out.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out.join(' ');
}

