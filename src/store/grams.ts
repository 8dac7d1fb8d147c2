/** Character bigrams for the provider index (shared by the store and the migrations that rebuild it). */
import { foldItaiji } from '../knowledge/itaiji.js';
import { normalizeForMatch } from '../knowledge/normalize.js';

/** Text as the provider keyword indexes hold it and as lookups query them: normalised, kanji variants folded (髙 → 高). */
export const searchForm = (text: string): string => foldItaiji(normalizeForMatch(text));

/** Space-separated character bigrams of a text (the bigram index's content and query form). */
export function bigrams(text: string): string {
  const out: string[] = [];
  for (const run of searchForm(text).match(/[^\s\p{P}\p{S}]+/gu) ?? []) {
    const chars = [...run];
    if (chars.length === 1) out.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out.join(' ');
}

