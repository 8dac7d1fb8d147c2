import { describe, expect, it } from 'vitest';
import { NEIGHBOURS, QuestionNeighbours, readNeighbours, saveNeighbours } from '../../src/retrieval/neighbours.js';
import { tempDir } from '../helpers/app.js';

const examples = {
  answerable: ['企業に声をかけるときのコツは？', '協議体ってどんな話し合いの場？', 'SCの役割を知りたい', '市町村の困りごとはどう集める？'],
  inScope: ['企業との連携はどこから始める？', '研修の中身はどう決める？', '多様な主体リストは何に使う？'],
  outOfScope: ['Excelの関数が動かない', 'Wi-Fiにつながらない', '有給休暇の残りを知りたい', 'Teamsの会議に入れない'],
};

describe('question neighbours', () => {
  const n = QuestionNeighbours.build(examples);

  it('places a question about office software nearer the out-of-scope examples', () => {
    const near = n.nearness('Excelの関数でエラーが出る');
    expect(near.unanswerable).toBeGreaterThan(near.answerable);
  });

  it('places a question about approaching companies nearer the answerable examples', () => {
    const near = n.nearness('企業に声をかけるコツを教えて');
    expect(near.answerable).toBeGreaterThan(near.unanswerable);
  });

  it('votes with the closest examples of both sides: their out-of-scope share of the similarity', () => {
    const off = n.nearness('Teamsの会議でWi-Fiが切れる');
    const fair = n.nearness('企業との連携のコツは？');
    expect(off.vote).toBeGreaterThan(0.5);
    expect(fair.vote).toBeLessThan(0.5);
    expect(n.nearness('まったく関係のない語').vote).toBeGreaterThanOrEqual(0);
    // leaving out the out-of-scope examples leaves only answerable voters
    expect(n.nearness('Teamsの会議でWi-Fiが切れる', (sample) => sample >= 3).vote).toBe(0);
  });

  it('averages the closest examples, so one identical example counts for a share of the mean', () => {
    const near = n.nearness('Wi-Fiにつながらない');
    expect(near.unanswerable).toBeGreaterThanOrEqual(1 / NEIGHBOURS - 1e-9);
    expect(near.unanswerable).toBeLessThanOrEqual(1);
  });

  it('leaves out the calibration samples it is told to (the calibration leaves out a fold)', () => {
    // out-of-scope examples are samples 3..6 (after the three in-scope ones)
    const all = n.nearness('Wi-Fiにつながらない');
    const without = n.nearness('Wi-Fiにつながらない', (sample) => sample === 4);
    expect(without.unanswerable).toBeLessThan(all.unanswerable);
    // the variants are never left out
    expect(n.nearness('協議体ってどんな話し合いの場？', () => true).answerable).toBeGreaterThan(0);
  });

  it('reads back from its saved files the same as it was built', () => {
    const dir = tempDir();
    saveNeighbours(dir, n.snapshot());
    const again = readNeighbours(dir);
    for (const q of ['Teamsで会議に入れない', '企業に声をかけるコツ', 'Wi-Fiにつながらない']) {
      const [a, b] = [n.nearness(q), again.nearness(q)];
      // the weights are saved as 32-bit floats
      expect(b.answerable).toBeCloseTo(a.answerable, 5);
      expect(b.unanswerable).toBeCloseTo(a.unanswerable, 5);
      expect(b.vote).toBeCloseTo(a.vote, 5);
    }
    expect(again.nearness('Wi-Fiにつながらない', (sample) => sample === 4).unanswerable).toBeCloseTo(n.nearness('Wi-Fiにつながらない', (sample) => sample === 4).unanswerable, 5);
  });
});
