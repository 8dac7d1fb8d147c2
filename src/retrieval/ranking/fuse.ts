/**
 * Fusion: the weighted sum of a passage's signals (orama's hybrid search and Elasticsearch's
 * linear retriever do the same: each signal scaled to 0..1, then text·w + vector·w + …).
 */
import { SIGNALS, type RankingWeights, type Signals } from './weights.js';

export interface Candidate {
  /** Index of the passage in the search's passage list. */
  index: number;
  signals: Signals;
  score: number;
}

export function fuse(candidates: Candidate[], weights: Readonly<RankingWeights>): Candidate[] {
  for (const c of candidates) c.score = SIGNALS.reduce((sum, name) => sum + weights[name] * c.signals[name], 0);
  return candidates;
}
