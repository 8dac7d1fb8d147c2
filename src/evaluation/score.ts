/**
 * Scoring retrieval against a question file of the dev-set form, shared by `npm run eval` and the
 * retrieval benchmark (which scores a plain baseline the same way). A citation is a hit when one
 * of the item's gold phrases is a substring of its text after NFKC and removing all whitespace.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { squash } from '../knowledge/normalize.js';

export const EvalItemSchema = z.object({
  id: z.union([z.string(), z.number()]),
  question: z.string(),
  kind: z.string().optional(),
  gold: z.array(z.string()).default([]),
}).passthrough();
export type EvalItem = z.infer<typeof EvalItemSchema>;

export function readEvalFile(file: string): EvalItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line)
    .map(({ line, n }) => {
      const parsed = EvalItemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file} ${n} 行目: ${parsed.error.issues[0]?.message ?? '形式が違います'}`);
      return parsed.data;
    });
}

export function isOutOfScopeItem(item: EvalItem): boolean {
  return item.kind === 'out_of_scope' || item.gold.length === 0;
}

/** 0-based rank of the first cited text (of the first five) containing a gold phrase; -1 if none. */
export function goldRank(texts: readonly string[], gold: readonly string[]): number {
  const golds = gold.map(squash);
  return texts.slice(0, 5).findIndex((t) => {
    const s = squash(t);
    return golds.some((g) => s.includes(g));
  });
}

export interface Outcome {
  item: EvalItem;
  outOfScope: boolean;
  texts: string[];
}

export interface Scores {
  answerable: number;
  outOfScopeItems: number;
  hitAt: { 1: number; 3: number; 5: number };
  mrr: number;
  /** Out-of-scope detection, the positive class being "out of scope". */
  tp: number;
  fp: number;
  fn: number;
  misses: { item: EvalItem; rank: number; falseOutOfScope: boolean }[];
}

export function score(outcomes: readonly Outcome[]): Scores {
  const s: Scores = { answerable: 0, outOfScopeItems: 0, hitAt: { 1: 0, 3: 0, 5: 0 }, mrr: 0, tp: 0, fp: 0, fn: 0, misses: [] };
  for (const { item, outOfScope, texts } of outcomes) {
    if (isOutOfScopeItem(item)) {
      s.outOfScopeItems++;
      if (outOfScope) s.tp++;
      else {
        s.fn++;
        s.misses.push({ item, rank: -1, falseOutOfScope: false });
      }
      continue;
    }
    s.answerable++;
    if (outOfScope) {
      s.fp++;
      s.misses.push({ item, rank: -1, falseOutOfScope: true });
      continue;
    }
    const rank = goldRank(texts, item.gold);
    if (rank >= 0) {
      if (rank < 1) s.hitAt[1]++;
      if (rank < 3) s.hitAt[3]++;
      s.hitAt[5]++;
      s.mrr += 1 / (rank + 1);
    }
    if (rank !== 0) s.misses.push({ item, rank, falseOutOfScope: false });
  }
  return s;
}

export function ratio(x: number, n: number): string {
  return n ? (x / n).toFixed(3) : 'n/a';
}

export function scoreLine(s: Scores): string {
  return `hit@1 ${ratio(s.hitAt[1], s.answerable)}  hit@3 ${ratio(s.hitAt[3], s.answerable)}  hit@5 ${ratio(s.hitAt[5], s.answerable)}  MRR@5 ${ratio(s.mrr, s.answerable)}`;
}

export function scopeLine(s: Scores): string {
  return `範囲外  適合率 ${ratio(s.tp, s.tp + s.fp)}  再現率 ${ratio(s.tp, s.tp + s.fn)}  （TP ${s.tp} / FP ${s.fp} / FN ${s.fn}）`;
}
