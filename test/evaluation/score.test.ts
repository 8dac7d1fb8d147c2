import { describe, expect, it } from 'vitest';
import { score, scopeLine, scoreLine, type EvalItem } from '../../src/evaluation/score.js';

const item = (id: string, gold: string[], kind?: string): EvalItem => ({ id, question: `質問${id}`, gold, ...(kind ? { kind } : {}) });

describe('npm run eval scoring (the contract in issue 3)', () => {
  it('counts a hit when a gold phrase is in a cited text after NFKC and removing whitespace, at its rank', () => {
    const s = score([
      // full-width digits and spaces in the citation still match the gold phrase
      { item: item('a', ['40社が参加した']), outOfScope: false, texts: ['令和7年度には、４０社が 参加した。', 'x'] },
      // found at the fourth citation: counts for hit@5 only, MRR 1/4
      { item: item('b', ['うえたん号']), outOfScope: false, texts: ['x', 'y', 'z', '移動販売車「うえたん号」'] },
      // a sixth citation is never looked at
      { item: item('c', ['ステッカー']), outOfScope: false, texts: ['1', '2', '3', '4', '5', 'ステッカー'] },
      // an answerable question judged out of scope is a miss and a false positive
      { item: item('d', ['何か']), outOfScope: true, texts: [] },
      // out-of-scope items: one caught, one answered
      { item: item('e', [], 'out_of_scope'), outOfScope: true, texts: [] },
      { item: item('f', [], 'out_of_scope'), outOfScope: false, texts: ['something'] },
    ]);
    expect(s.answerable).toBe(4);
    expect(s.hitAt).toEqual({ 1: 1, 3: 1, 5: 2 });
    expect(s.mrr).toBeCloseTo(1 + 1 / 4);
    expect({ tp: s.tp, fp: s.fp, fn: s.fn }).toEqual({ tp: 1, fp: 1, fn: 1 });
    expect(scoreLine(s)).toBe('hit@1 0.250  hit@3 0.250  hit@5 0.500  MRR@5 0.313');
    expect(scopeLine(s)).toContain('適合率 0.500  再現率 0.500');
    expect(s.misses.map((m) => [m.item.id, m.rank, m.falseOutOfScope])).toEqual([
      ['b', 3, false],
      ['c', -1, false],
      ['d', -1, true],
      ['f', -1, false],
    ]);
  });
});
