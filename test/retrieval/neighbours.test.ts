import { describe, expect, it } from 'vitest';
import { NEIGHBOURS, QuestionNeighbours } from '../../src/retrieval/neighbours.js';

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

  it('rebuilds the same from its saved snapshot', () => {
    const again = QuestionNeighbours.fromSnapshot(JSON.parse(JSON.stringify(n.snapshot())));
    expect(again.nearness('Teamsで会議に入れない')).toEqual(n.nearness('Teamsで会議に入れない'));
  });
});
