import { describe, expect, it } from 'vitest';
import { readWording, saveWording, WordingExamples } from '../../src/retrieval/wording-classifier.js';
import { tempDir } from '../helpers/app.js';

// answerable examples far outnumber the out-of-scope ones, and share their everyday words (方法, 教えて)
const examples = {
  answerable: [
    '企業に声をかける方法を教えて',
    '協議体の進め方を教えて',
    'SCの役割を知りたい',
    '市町村の困りごとを集める方法は？',
    '研修のやり方を教えて',
    '買い物支援の事例を知りたい',
    '移動販売の始め方を教えて',
    '企業との連携の方法は？',
  ],
  inScope: ['多様な主体リストの作り方を教えて', 'ステップ1では何をする？', '庁内連携の方法は？'],
  outOfScope: ['プリンターの印刷が止まる方法を教えて', 'Excelの関数が動かない', 'プリンターの紙詰まりを直したい', '印刷が薄いときの直し方'],
};

describe('wording classifier', () => {
  const data = new WordingExamples(examples);
  const model = data.train();

  it('scores a question about the printer as out-of-scope wording, one about companies as answerable', () => {
    expect(model.logit('プリンターで印刷できない')).toBeGreaterThan(0);
    expect(model.logit('企業に声をかける方法は？')).toBeLessThan(0);
    expect(model.logit('プリンターで印刷できない')).toBeGreaterThan(model.logit('企業に声をかける方法は？'));
  });

  it('gives no evidence for a question none of whose terms it knows', () => {
    expect(model.logit('ωψ')).toBe(0);
  });

  it('learns nothing from the calibration samples it is told to leave out (a fold of the calibration)', () => {
    // out-of-scope examples are samples 3..6 (after the three in-scope ones): without them no term is out-of-scope
    const without = data.train((sample) => sample >= 3);
    expect(without.logit('プリンターで印刷できない')).toBeLessThan(model.logit('プリンターで印刷できない'));
    expect(without.model.terms).not.toContain('プリ');
    expect(model.model.terms).toContain('プリ');
  });

  it('trains the same model twice and reads it back from its saved file', () => {
    expect(data.train().model).toEqual(model.model);
    const dir = tempDir();
    saveWording(dir, model.model);
    const read = readWording(dir);
    for (const q of ['プリンターで印刷できない', '企業に声をかける方法は？']) expect(read.logit(q)).toBeCloseTo(model.logit(q), 4);
  });
});
