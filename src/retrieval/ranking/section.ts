/**
 * Within-section choice. A section's passages share its headings, and a question often matches the
 * section as a whole (its heading, its first passage) while the answer sits in a sibling: each
 * passage is lifted a share of the way towards the best score of its section, so a section that
 * matches brings its passages up together and their own text decides the order among them.
 */
import type { Candidate } from './fuse.js';

export function withinSections(candidates: Candidate[], sectionOf: readonly string[], share: number): Candidate[] {
  if (!share) return candidates;
  const best = new Map<string, number>();
  for (const c of candidates) {
    const key = sectionOf[c.index]!;
    best.set(key, Math.max(best.get(key) ?? -Infinity, c.score));
  }
  for (const c of candidates) c.score += share * (best.get(sectionOf[c.index]!)! - c.score);
  return candidates;
}
