/**
 * Distinct results. The same slide appears in several government documents: a passage that
 * repeats a better-ranked one is dropped, so the five citations are five different texts.
 */
import { normalizeForMatch } from '../../knowledge/normalize.js';
import type { Candidate } from './fuse.js';

/** Passages whose bodies share this much of their character bigrams are the same text. */
const DUPLICATE_JACCARD = 0.7;

/** For each passage, the earlier passage it repeats (undefined when it repeats none). */
export function findDuplicates(bodies: readonly string[]): (number | undefined)[] {
  const sets = bodies.map((b) => {
    const chars = [...normalizeForMatch(b).replace(/\s+/g, '')];
    return new Set(chars.slice(1).map((c, i) => chars[i]! + c));
  });
  return sets.map((set, j) => {
    for (let i = 0; i < j; i++) {
      const other = sets[i]!;
      let inter = 0;
      for (const g of set) if (other.has(g)) inter++;
      const union = set.size + other.size - inter;
      if (union && inter / union >= DUPLICATE_JACCARD) return i;
    }
    return undefined;
  });
}

/** Sorts best first and keeps the first of each group of repeated passages. */
export function distinct(candidates: Candidate[], duplicateOf: readonly (number | undefined)[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score || a.index - b.index);
  const seen = new Set<number>();
  return sorted.filter((c) => {
    const group = duplicateOf[c.index] ?? c.index;
    if (seen.has(group)) return false;
    seen.add(group);
    return true;
  });
}
